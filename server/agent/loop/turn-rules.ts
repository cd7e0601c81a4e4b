import type { ChatEvent } from '../../../protocol/chat';
import { runningSandbox, type SandboxAccess } from '../../access/sandbox-access';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import type { ChatRow } from '../chats/chat-store';
import type { ChatWriter } from '../events/chat-writer';
import { readProjectRules, rulesChanged, type ProjectRules } from './project-rules';

/**
 * The project's rules at the start of a turn, read through the sandbox's daemon when the sandbox
 * runs (a stopped sandbox is not started for them: a chat that only talks needs none). Undefined
 * when they could not be read.
 */
export async function loadRules(services: Pick<Services, 'sql' | 'daemons' | 'log'>, chat: ChatRow, sandbox: Promise<SandboxAccess> = runningSandbox(services, chat.projectId)): Promise<ProjectRules | undefined> {
  try {
    const { client } = await sandbox;
    return await readProjectRules(client);
  } catch (error) {
    // Not running (or no sandbox yet): no rules this turn, quietly. Anything else is worth a line in the log.
    if (!(error instanceof AppError)) services.log.warn({ err: error, chatId: chat.id }, 'reading the project rules failed');
    return undefined;
  }
}

/** Tells the chat which rules are active when they differ from what it last showed. */
export async function announceRules(rules: ProjectRules | undefined, events: ChatEvent[], writer: ChatWriter): Promise<void> {
  if (!rules) return;
  const last = events.findLast((e) => e.body.type === 'rules')?.body;
  const previous = last?.type === 'rules' ? last : undefined;
  if (rulesChanged(rules, previous)) await writer.emit({ type: 'rules', files: rules.files, cut: rules.cut });
}
