import type { TurnStatus } from '../../../protocol/chat';
import { AppError } from '../../errors';
import { DaemonClientError } from '../../daemon-client';
import type { ChatRow } from '../chats/chat-store';
import { ChatHistory } from '../events/chat-history';
import type { ChatWriter } from '../events/chat-writer';
import { projectNames } from '../../projects/project-store';
import { ProviderError } from '../providers/provider-errors';
import { NO_MODEL_MESSAGE, resolveModel, type ResolvedModel } from '../settings/model-settings';
import { runningSandbox } from '../../access/sandbox-access';
import { projectAgentSettings } from '../settings/project-settings-store';
import { approvalCheck } from '../approvals/approval-gate';
import type { ToolSession } from '../tools/tool';
import type { AgentDeps } from '../agent-deps';
import { conversationFromEvents, currentMode } from './conversation';
import { noImagesNotice, withoutImages } from '../context/image-support';
import { runSteps } from './step-loop';
import { compactNow } from './manual-compaction';
import { abortReason } from './turn-abort';
import { TurnClock } from './turn-timing';
import { TurnSandbox } from './turn-sandbox';
import { effectiveContext } from '../usage/context-windows';
import { NO_MCP, startMcp, turnMcp, type TurnMcp } from '../mcp/turn-mcp';
import { announceRules, loadRules } from './turn-rules';

export interface TurnInput {
  chat: ChatRow;
  turnId: string;
  signal: AbortSignal;
  writer: ChatWriter;
  session: ToolSession;
  /** The user who prompted (null for the server's own prompts). */
  requestedBy?: string | null;
  /** `compact`: only summarise the conversation (`/compact`), no model step. */
  job?: TurnJob;
  /** The chat's model as resolved when the turn was claimed (else it is resolved here). */
  model?: ResolvedModel;
}

export type TurnJob = 'compact';

export interface TurnOutcome {
  status: TurnStatus;
  message: string | null;
}

/**
 * One turn: from the user's prompt until the agent is done (checks included), cancelled or
 * failed. Everything it does reaches clients as events; the outcome becomes the `done` event.
 */
export async function runTurn(deps: AgentDeps, input: TurnInput): Promise<TurnOutcome> {
  const { services } = deps;
  const { chat, writer, signal } = input;
  const clock = new TurnClock();
  let sandbox: TurnSandbox | undefined;
  let mcp: TurnMcp = NO_MCP;
  try {
    // Independent reads, at once: they are most of a turn's own overhead. The model was resolved
    // when the turn was claimed (unless that failed: then again here, to report why); the sandbox
    // is looked up once for the rules and the MCP servers.
    const sandboxAccess = runningSandbox(services, chat.projectId);
    sandboxAccess.catch(() => undefined); // not running: each reader handles it
    const [model, settings, events, project, rules, projectMcp] = await clock.phase('turn-start reads', () => Promise.all([
      input.model ?? resolveModel(services.sql, services.secrets, chat.teamId, deps.serverModel, chat.modelId),
      projectAgentSettings(services.sql, chat.projectId),
      readAllEvents(deps, chat.id),
      projectNames(services.sql, chat.projectId),
      loadRules(services, chat, sandboxAccess),
      startMcp(deps.mcp, services, chat.projectId, sandboxAccess),
    ]));
    await announceRules(rules, events, writer);
    if (!model) {
      await writer.emit({ type: 'error', code: 'no_model', message: NO_MODEL_MESSAGE });
      return { status: 'failed', message: NO_MODEL_MESSAGE };
    }
    const provider = deps.createProvider(model.config, (notice) => {
      writer.push({ type: 'notice', message: `${notice.error.message} Retrying in ${(notice.delayMs / 1000).toFixed(1)} s (attempt ${notice.attempt + 1}).` });
    }, model.source);
    let messages = conversationFromEvents(events);
    if (!model.supportsImages) {
      const stripped = withoutImages(messages);
      messages = stripped.messages;
      if (stripped.latest) await writer.emit({ type: 'notice', message: noImagesNotice(model.config.model, stripped.latest) });
    }
    if (input.job === 'compact') {
      await compactNow(provider, messages, writer, signal, clock);
      return { status: 'completed', message: null };
    }
    mcp = await turnMcp(projectMcp, events, writer);
    sandbox = new TurnSandbox(services, chat, writer, input.session, signal, input.requestedBy ?? null);
    const approve = approvalCheck({ sql: services.sql, feed: deps.feed, writer, chatId: chat.id, projectId: chat.projectId, signal, approvals: settings.approvals });
    await runSteps({
      deps, chat, provider, model: model.config.model, price: model.price ?? null,
      contextTokens: effectiveContext(model.config.model, model.contextTokens, deps.options.contextTokens).tokens,
      messages, sandbox, projectName: project?.name ?? 'project', projectDatabase: project?.database, approve, writer, signal, clock, settings,
      mode: currentMode(events), rules: rules?.text ?? '', mcp,
    });
    return { status: 'completed', message: null };
  } catch (error) {
    if (signal.aborted) {
      const reason = abortReason(signal);
      return reason.kind === 'cancel'
        ? { status: 'cancelled', message: `Stopped${reason.by ? ` by ${reason.by}` : ''}.` }
        : { status: 'interrupted', message: 'The server stopped during this turn. Resume the chat to continue.' };
    }
    const { code, message } = describeFailure(error);
    // The provider's own words go to the log (for the admin), never to the chat.
    if (error instanceof ProviderError) services.log.warn({ chatId: chat.id, code: error.reason, status: error.httpStatus, detail: error.detail }, 'model call failed');
    if (code === 'internal') services.log.error({ err: error, chatId: chat.id }, 'agent turn failed');
    await writer.emit({ type: 'error', code, message }).catch(() => undefined);
    return { status: 'failed', message };
  } finally {
    mcp.stop();
    if (!(signal.aborted && abortReason(signal).kind === 'shutdown')) await clock.phase('checkpoint after the turn', async () => sandbox?.checkpoints?.after()).catch((err: unknown) => services.log.warn({ err }, 'checkpoint after the turn failed'));
    deps.onTiming?.({ chatId: chat.id, ...clock.done() });
  }
}

/** The chat's whole log: from the process's history when it keeps one (only what is new is read). */
function readAllEvents(deps: AgentDeps, chatId: string) {
  return (deps.history ?? new ChatHistory(0)).read(deps.services.sql, chatId);
}

function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof DaemonClientError) return { code: 'sandbox_unavailable', message: `The sandbox did not answer: ${error.message}` };
  if (error instanceof AppError && error.expose) return { code: error.reason ?? error.code, message: error.message };
  return { code: 'internal', message: 'The agent failed unexpectedly; the details are in the server log.' };
}
