import type { AgentMode, ProjectAgentSettings } from '../../../protocol/chat';
import type { ModelPrice } from '../../../protocol/chat-models';
import type { ChatRow } from '../chats/chat-store';
import type { ChatWriter } from '../events/chat-writer';
import type { AgentDeps } from '../agent-deps';
import { collectAssistantTurn, type AssistantTurn } from '../providers/assistant-turn';
import type { ModelProvider, StreamEvent } from '../providers/provider';
import { ProviderError } from '../providers/provider-errors';
import { estimateRequestTokens } from '../providers/token-estimate';
import { dispatchTool, type ApprovalCheck } from '../tools/dispatcher';
import { allowedInMode } from '../tools/mode-policy';
import { toolByName, toolDefinitions } from '../tools/tool-registry';
import { costUsd } from '../usage/pricing';
import { recordUsage } from '../usage/usage-store';
import { repairPrompt, runChecks } from '../verify/run-checks';
import type { TurnSandbox } from './turn-sandbox';
import type { TurnMcp } from '../mcp/turn-mcp';
import { COMPACT_AT, planCompaction, summarise } from './compaction';
import { SUMMARY_PREFIX, type SeqMessage } from './conversation';
import { systemPrompt } from './system-prompt';
import { TurnFailure } from './turn-abort';
import type { TurnClock } from './turn-timing';

export interface StepLoopInput {
  deps: AgentDeps;
  chat: ChatRow;
  provider: ModelProvider;
  model: string;
  /** The team's configured price for the model, if any (else the known list price). */
  price: ModelPrice | null;
  contextTokens: number;
  messages: SeqMessage[];
  sandbox: TurnSandbox;
  projectName: string;
  /** The project has a PostgreSQL database (the prompt says how to use it). */
  projectDatabase?: boolean;
  approve: ApprovalCheck;
  writer: ChatWriter;
  signal: AbortSignal;
  clock: TurnClock;
  settings: ProjectAgentSettings;
  /** `plan`: only read tools run (the dispatcher refuses the rest). */
  mode: AgentMode;
  /** The project's rules for the system prompt ('' for none). */
  rules: string;
  /** The project's MCP servers' tools (re-read each step: servers come and go). */
  mcp?: TurnMcp;
}

/**
 * The agent loop: ask the model, run the tools it calls, feed the results back, until it answers
 * without tool calls. Then the project's checks run; failures go back to the model for up to
 * `maxRepairRounds` more rounds.
 */
export async function runSteps(input: StepLoopInput): Promise<void> {
  const { deps, writer, signal, clock, settings } = input;
  const system = systemPrompt({ name: input.projectName, database: input.projectDatabase }, { rules: input.rules, mode: input.mode });
  let changedSinceCheck = false;
  let repairRound = 0;
  for (let step = 1; ; step++) {
    if (step > deps.options.maxSteps) {
      throw new TurnFailure('step_limit', `The agent stopped after ${deps.options.maxSteps} model steps in one turn. Send a message to let it go on.`);
    }
    clock.steps = step;
    const turn = await modelStep(input, system);
    await clock.phase('events written after the model', async () => {
      // Emitted without waiting in between: the message, its usage and any text still in flight go
      // to the database in one write, in this order.
      const message = writer.emit({ type: 'assistant_message', content: turn.message.content, stop: turn.stop ?? null });
      let usage: Promise<unknown> | undefined;
      if (turn.usage) {
        const cost = costUsd(input.model, turn.usage, input.price);
        usage = Promise.all([
          recordUsage(deps.services.sql, { teamId: input.chat.teamId, projectId: input.chat.projectId, chatId: input.chat.id }, input.model, turn.usage, cost),
          writer.emit({ type: 'usage', model: input.model, ...turn.usage, costUsd: cost }),
        ]);
      }
      const [written] = await Promise.all([message, usage]);
      input.messages.push({ seq: written.seq, message: turn.message });
    });

    if (turn.toolCalls.length === 0) {
      if (!changedSinceCheck || settings.checks.length === 0) return;
      changedSinceCheck = false;
      const round = repairRound + 1;
      await writer.emit({ type: 'stage', stage: 'verify', round, message: `Running ${settings.checks.length} check${settings.checks.length === 1 ? '' : 's'}: ${settings.checks.map((c) => c.name).join(', ')}` });
      const { client } = (await input.sandbox.get()).tools;
      const failures = await clock.tool(() => runChecks(client, settings.checks, writer, signal));
      if (failures.length === 0) {
        await writer.emit({ type: 'stage', stage: 'verified', round, message: 'All checks passed.' });
        return;
      }
      if (repairRound >= settings.maxRepairRounds) {
        await writer.emit({ type: 'stage', stage: 'verify_failed', round, message: `${failures.map((f) => f.name).join(', ')} still failing after ${repairRound} repair round${repairRound === 1 ? '' : 's'}.` });
        return;
      }
      repairRound++;
      await writer.emit({ type: 'stage', stage: 'repair', round: repairRound, message: `${failures.map((f) => f.name).join(', ')} failed; the agent tries to fix it (round ${repairRound} of ${settings.maxRepairRounds}).` });
      const prompt = repairPrompt(failures, repairRound, settings.maxRepairRounds);
      const event = await writer.emit({ type: 'user_message', text: prompt, source: 'verify', author: null });
      input.messages.push({ seq: event.seq, message: { role: 'user', content: prompt } });
      continue;
    }

    const sandbox = await input.sandbox.get();
    const extra = new Map((input.mcp?.tools() ?? []).map((tool) => [tool.name, tool.registered]));
    for (const call of turn.toolCalls) {
      const def = (toolByName.get(call.name) ?? extra.get(call.name))?.def;
      if (def && allowedInMode(input.mode, def) && (def.category === 'write' || def.category === 'execute' || def.category === 'mcp')) {
        await sandbox.checkpoints.before();
        changedSinceCheck = true;
      }
      const started = performance.now();
      const result = await clock.tool(() => dispatchTool(call, sandbox.tools, input.approve, input.mode, extra));
      const event = await writer.emit({
        type: 'tool_call_result', callId: call.id, name: call.name, isError: result.isError, output: result.content,
        durationMs: Math.round(performance.now() - started),
      });
      input.messages.push({ seq: event.seq, message: { role: 'tool', toolCallId: call.id, content: result.content, isError: result.isError } });
    }
  }
}

/** One model call, streamed to the chat; compacts first when the context is filling up. */
async function modelStep(input: StepLoopInput, system: string): Promise<AssistantTurn> {
  const tools = [...toolDefinitions, ...(input.mcp?.tools() ?? []).map((tool) => tool.definition)];
  const request = () => ({ system, messages: input.messages.map((m) => m.message), tools, maxTokens: input.deps.options.maxTokens, signal: input.signal });
  if (estimateRequestTokens(request()) > input.contextTokens * COMPACT_AT) await compact(input);
  try {
    return await input.clock.model(() => collectAssistantTurn(relay(input.provider.stream(request()), input.writer, input.deps.onModelEvent)));
  } catch (error) {
    if (!(error instanceof ProviderError && error.reason === 'context_too_long') || input.signal.aborted) throw error;
    // The estimate was off: compact now and try once more.
    if (!(await compact(input))) throw error;
    return input.clock.model(() => collectAssistantTurn(relay(input.provider.stream(request()), input.writer, input.deps.onModelEvent)));
  }
}

/** Passes text and finished tool calls to the chat as they stream. */
async function* relay(stream: AsyncIterable<StreamEvent>, writer: ChatWriter, observe?: (event: StreamEvent, at: number) => void): AsyncIterable<StreamEvent> {
  for await (const event of stream) {
    observe?.(event, performance.now());
    if (event.type === 'text_delta' && event.text) writer.push({ type: 'text_delta', text: event.text });
    else if (event.type === 'tool_call_done') writer.push({ type: 'tool_call_start', callId: event.id, name: event.name, input: event.input });
    yield event;
  }
}

/** Summarises the older part of the conversation into one message; false when there is nothing to cut. */
async function compact(input: StepLoopInput): Promise<boolean> {
  const plan = planCompaction(input.messages, input.contextTokens);
  if (!plan) return false;
  const before = estimateRequestTokens({ system: '', tools: [], messages: input.messages.map((m) => m.message) });
  const summary = await input.clock.model(() => summarise(input.provider, plan.older, input.signal));
  const upToSeq = plan.older.at(-1)!.seq;
  const after = estimateRequestTokens({ system: '', tools: [], messages: [{ role: 'user', content: SUMMARY_PREFIX + summary }, ...plan.kept.map((m) => m.message)] });
  const event = await input.writer.emit({ type: 'compaction', summary, upToSeq, tokensBefore: before, tokensAfter: after });
  input.messages.splice(0, input.messages.length, { seq: event.seq, message: { role: 'user', content: SUMMARY_PREFIX + summary } }, ...plan.kept);
  return true;
}
