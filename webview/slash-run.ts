import type { AgentMode } from '../protocol/chat';
import type { ModelOption } from '../protocol/chat-models';
import { findModel, parseInput } from './slash-commands';

/** What slash commands ask of the extension. */
export interface SlashActions {
  newChat(): void;
  compact(): void;
  checkpoint(message: string | undefined): void;
  setModel(modelId: string | null): void;
  /** Something the user typed could not be done: why (shown above the input). */
  attachFailed(message: string): void;
}

export interface SlashContext extends SlashActions {
  send(text: string, mode: AgentMode): void;
  setMode(mode: AgentMode): void;
  mode(): AgentMode;
  pickModel(): void;
  models(): readonly ModelOption[];
}

/**
 * Sends the input's line as a message in the current mode, or runs it as a command. False when
 * it could not be done (the input keeps the text and the view says why).
 */
export function runSlashCommand(line: string, ctx: SlashContext): boolean {
  const parsed = parseInput(line);
  if (parsed.kind === 'message') {
    ctx.send(parsed.text, ctx.mode());
    return true;
  }
  if (parsed.kind === 'unknown') {
    ctx.attachFailed(parsed.message);
    return false;
  }
  const { name, arg } = parsed;
  switch (name) {
    case 'new':
      ctx.newChat();
      return true;
    case 'plan':
    case 'act':
      ctx.setMode(name);
      if (arg) ctx.send(arg, name);
      return true;
    case 'compact':
      ctx.compact();
      return true;
    case 'checkpoint':
      ctx.checkpoint(arg || undefined);
      return true;
    case 'model': {
      if (!arg) {
        ctx.pickModel();
        return true;
      }
      const models = ctx.models();
      const found = findModel(models, arg);
      if (!found) {
        ctx.attachFailed(models.length ? `No single model matches "${arg}". The team's models: ${models.map((m) => m.name).join(', ')}.` : 'The team has no models to choose from yet.');
        return false;
      }
      ctx.setModel(found.id);
      return true;
    }
  }
}
