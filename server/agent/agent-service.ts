import { answerApproval } from './approvals/approval-store';
import { rememberApproval } from './approvals/remember-approval';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/authenticate';
import type { ChatEventBody, SendMessage, TodoItem } from '../../protocol/chat';
import { AppError, conflict } from '../errors';
import { chatForUser, projectForUser } from '../access/access';
import { enforceRateLimit } from '../ratelimit/rate-limit';
import type { AgentDeps, AgentOptions, AgentServices } from './agent-deps';
import { insertChat, listChats, type ChatRow } from './chats/chat-store';
import { claimTurn, finishTurn, heartbeat, sweepInterruptedTurns } from './chats/turn-store';
import { ChatFeed } from './events/chat-feed';
import { ChatWriter } from './events/chat-writer';
import { ChatHistory } from './events/chat-history';
import { TurnAbort } from './loop/turn-abort';
import { runTurn, type TurnJob } from './loop/turn-runner';
import type { TimingListener } from './loop/turn-timing';
import { guardedFetch } from '../net/guarded-fetch';
import { modelEgressPolicy } from '../config';
import { createProvider, providerConfigFromEnv, type ProviderConfig } from './providers/registry';
import { resolveModel } from './settings/model-settings';
import type { ToolSession } from './tools/tool';
import type { ChatAttachment } from '../../protocol/chat-context';
import { runningSandbox } from '../access/sandbox-access';
import { resolveAttachments } from './context/resolve-mentions';
import { McpHub } from './mcp/mcp-hub';

interface RunningTurn {
  turnId: string;
  controller: AbortController;
  done: Promise<void>;
}

const HEARTBEAT_MS = 5000;

/**
 * The agent of one server process: chats, their turns and the event feed. A turn runs in the
 * process that received the prompt and keeps running whoever watches; cancels and approval
 * answers reach it through the chat's events from any process.
 */
export class AgentService {
  readonly feed: ChatFeed;
  readonly deps: AgentDeps;
  private readonly turns = new Map<string, RunningTurn>();
  private readonly sessions = new Map<string, ToolSession>();
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;

  constructor(private readonly services: AgentServices, overrides: { serverModel?: ProviderConfig | null; onTiming?: TimingListener } = {}) {
    this.feed = new ChatFeed(services.sql, services.log);
    const { agent } = services.config;
    const options: AgentOptions = { maxSteps: agent.maxSteps, maxTokens: agent.maxTokens, contextTokens: agent.contextTokens, staleTurnSeconds: agent.staleTurnSeconds };
    const teamFetch = guardedFetch(modelEgressPolicy(services.config));
    const configured = overrides.serverModel !== undefined ? overrides.serverModel : agent.model;
    this.deps = {
      services, feed: this.feed, options,
      serverModel: configured === null ? undefined : configured ?? providerConfigFromEnv(),
      createProvider: (config, onRetry, source) => createProvider(config, { policy: agent.retry, onRetry }, source === 'team' ? { fetch: teamFetch } : {}),
      ...(overrides.onTiming && { onTiming: overrides.onTiming }),
      mcp: new McpHub(services),
      history: new ChatHistory(),
    };
  }

  async start(): Promise<void> {
    await this.feed.start();
    await this.sweep();
    const beat = setInterval(() => void heartbeat(this.services.sql, this.feed.origin).catch(() => undefined), HEARTBEAT_MS);
    const sweep = setInterval(() => void this.sweep(), Math.max(1000, this.deps.options.staleTurnSeconds * 500));
    this.timers = [beat, sweep];
    for (const timer of this.timers) timer.unref();
  }

  /** Interrupts this process's turns (they can be resumed elsewhere or after a restart). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const turn of this.turns.values()) turn.controller.abort(new TurnAbort('shutdown'));
    await Promise.allSettled([...this.turns.values()].map((t) => t.done));
    await this.deps.mcp?.close();
    await this.feed.stop();
  }

  /** Whether this process runs a turn of the chat now. */
  isRunning(chatId: string): boolean {
    return this.turns.has(chatId);
  }

  private async sweep(): Promise<void> {
    await sweepInterruptedTurns(this.services.sql, this.feed, this.deps.options.staleTurnSeconds)
      .catch((err: unknown) => this.services.log.warn({ err }, 'sweeping interrupted turns failed'));
  }

  async createChat(user: AuthUser, projectId: string, title?: string): Promise<ChatRow> {
    await projectForUser(this.services.sql, user.id, projectId);
    return insertChat(this.services.sql, { projectId, title: title ?? 'New chat', userId: user.id });
  }

  async listChats(user: AuthUser, projectId: string): Promise<ChatRow[]> {
    await projectForUser(this.services.sql, user.id, projectId);
    return listChats(this.services.sql, projectId);
  }

  /**
   * A prompt: persisted with the turn's start, then the turn runs in the background. In `plan`
   * mode the agent only reads; an `act` message with a plan carries the plan as the user edited it.
   */
  async send(user: AuthUser, chatId: string, message: SendMessage): Promise<string> {
    const { chat } = await chatForUser(this.services.sql, user.id, chatId);
    await enforceRateLimit(this.services.sql, 'prompt', `user:${user.id}`, this.services.config.rateLimits.prompt);
    const { text, mode, plan, attachments } = message;
    if (plan && mode !== 'act') throw new AppError('bad_request', 'a plan is carried out in act mode: send it with mode "act"');
    const stored = attachments.length ? await resolveAttachments(attachments, await this.sandboxClient(chat.projectId, attachments)) : [];
    const opening: ChatEventBody = { type: 'user_message', text, source: 'user', author: { id: user.id, name: user.email }, mode, ...(plan && { plan }), ...(stored.length && { attachments: stored }) };
    // The edited plan becomes the chat's todo list, as if the agent had written it.
    return this.begin(chat, plan ? [opening, { type: 'todo_update', todos: plan }] : [opening], { requestedBy: user.id, ...(plan && { plan }) });
  }

  /** The sandbox's daemon when paths were mentioned and it runs now; else none (the paths stay unchecked). */
  private async sandboxClient(projectId: string, attachments: ChatAttachment[]) {
    if (!attachments.some((a) => a.kind === 'file' || a.kind === 'folder')) return undefined;
    return runningSandbox(this.services, projectId).then(({ client }) => client, () => undefined);
  }

  /** Continues after an interrupted, cancelled or failed turn. */
  async resume(user: AuthUser, chatId: string): Promise<string> {
    const { chat } = await chatForUser(this.services.sql, user.id, chatId);
    await enforceRateLimit(this.services.sql, 'prompt', `user:${user.id}`, this.services.config.rateLimits.prompt);
    return this.begin(chat, [{ type: 'user_message', text: 'Continue the task from where you stopped. Check the current state first if a step may not have finished.', source: 'resume', author: { id: user.id, name: user.email } }], { requestedBy: user.id });
  }

  /** `/compact`: a turn that only summarises the conversation so far (the model forgets the rest). */
  async compact(user: AuthUser, chatId: string): Promise<string> {
    const { chat } = await chatForUser(this.services.sql, user.id, chatId);
    await enforceRateLimit(this.services.sql, 'prompt', `user:${user.id}`, this.services.config.rateLimits.prompt);
    return this.begin(chat, [{ type: 'notice', message: `${user.email} asked to compact the conversation.` }], { requestedBy: user.id, job: 'compact' });
  }

  async cancel(user: AuthUser, chatId: string): Promise<void> {
    const { chat } = await chatForUser(this.services.sql, user.id, chatId);
    if (chat.state !== 'running') return;
    // The owner of the turn (this process or another) aborts when it sees this event.
    await this.feed.append(chatId, { type: 'cancel_requested', by: { id: user.id, name: user.email } });
  }

  async approve(user: AuthUser, chatId: string, approvalId: string, approved: boolean, remember: boolean): Promise<void> {
    const { chat } = await chatForUser(this.services.sql, user.id, chatId);
    const answered = await answerApproval(this.services.sql, { chatId, approvalId, approved, userId: user.id });
    if (!answered) throw conflict('this approval was already answered or has expired');
    if (approved && remember) await rememberApproval(this.services.sql, chat.projectId, answered);
    await this.feed.append(chatId, { type: 'approval_answer', approvalId, approved, by: { id: user.id, name: user.email } });
  }

  private async begin(chat: ChatRow, opening: ChatEventBody[], options: { requestedBy: string | null; plan?: TodoItem[]; job?: TurnJob }): Promise<string> {
    if (this.stopping) throw conflict('the server is shutting down; try again in a moment');
    const turnId = randomUUID();
    const model = await resolveModel(this.services.sql, this.services.secrets, chat.teamId, this.deps.serverModel, chat.modelId).catch(() => undefined);
    await claimTurn(this.services.sql, this.feed, chat.id, turnId, [...opening, { type: 'turn_started', turnId, model: model?.config.model ?? null }]);
    const controller = new AbortController();
    const stopListening = this.feed.listen(chat.id, (_seq, event) => {
      if (event?.body.type === 'cancel_requested') controller.abort(new TurnAbort('cancel', event.body.by?.name ?? null));
    });
    const writer = new ChatWriter(this.feed, chat.id);
    const session = this.sessions.get(chat.id) ?? { todos: [], shellId: chat.id };
    this.sessions.set(chat.id, session);
    if (options.plan) session.todos = options.plan;
    const done = (async () => {
      const outcome = await runTurn(this.deps, { chat, turnId, signal: controller.signal, writer, session, requestedBy: options.requestedBy, ...(options.job && { job: options.job }), ...(model && { model }) });
      await writer.flush().catch(() => undefined);
      await finishTurn(this.services.sql, this.feed, chat.id, turnId, outcome.status, outcome.message);
    })()
      .catch((err: unknown) => this.services.log.error({ err, chatId: chat.id }, 'finishing an agent turn failed'))
      .finally(() => {
        stopListening();
        if (this.turns.get(chat.id)?.turnId === turnId) this.turns.delete(chat.id);
      });
    this.turns.set(chat.id, { turnId, controller, done });
    return turnId;
  }
}
