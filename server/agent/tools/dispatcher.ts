import { describeIssues } from '../../../protocol/errors';
import type { AgentMode, ApprovalCategory } from '../../../protocol/chat';
import { DaemonClientError } from '../../daemon-client';
import { allowedInMode, planModeRefusal } from './mode-policy';
import { capOutput } from './output-cap';
import type { ToolContext, ToolResult } from './tool';
import { ToolFailure } from './tool';
import { toolByName, type RegisteredTool } from './tool-registry';

/** `extra`: the turn's tools besides the built-in ones (its MCP servers'). */
const NONE: ReadonlyMap<string, RegisteredTool> = new Map();

export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** Set when the model's arguments were not a JSON object. */
  inputError?: string;
}

/** Asks whoever decides (settings, then maybe a person) whether this call may run. */
export type ApprovalCheck = (request: { callId: string; tool: string; category: ApprovalCategory; summary: string }) => Promise<boolean>;

/**
 * The one way a tool runs: find it, check the turn's mode allows it, validate the input against
 * its schema, check approval, run, and cap what goes back to the model. Every failure becomes an error result the model can act
 * on; only a cancellation propagates (as the signal's reason).
 */
export async function dispatchTool(call: ToolCall, ctx: ToolContext, approve: ApprovalCheck, mode: AgentMode = 'act', extra: ReadonlyMap<string, RegisteredTool> = NONE): Promise<Required<ToolResult>> {
  const tool = toolByName.get(call.name) ?? extra.get(call.name);
  if (!tool) return failure(`There is no tool named "${call.name}". Available tools: ${[...toolByName.keys(), ...extra.keys()].join(', ')}.`);
  if (!allowedInMode(mode, tool.def)) return failure(planModeRefusal(tool.def));
  if (call.inputError) return failure(`The arguments for ${call.name} were not a JSON object (${call.inputError}). Send the arguments again as valid JSON.`);
  const parsed = tool.def.input.safeParse(call.input);
  if (!parsed.success) return failure(`Invalid input for ${call.name}: ${describeIssues(parsed.error, 8)}. Fix the arguments and call it again.`);
  const allowed = await approve({ callId: call.id, tool: call.name, category: tool.def.category, summary: tool.def.summarize(parsed.data) });
  if (!allowed) return failure(`The user denied this ${tool.def.category} action (${tool.def.summarize(parsed.data)}). Do not retry it; ask the user or take another way.`);
  try {
    const result = await tool.run(parsed.data, ctx);
    const { content, isError = false } = typeof result === 'string' ? { content: result } : result;
    return { content: capOutput(content), isError };
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (error instanceof ToolFailure) return failure(error.message);
    if (error instanceof DaemonClientError) return failure(`${call.name} failed in the sandbox: ${error.message}`);
    throw error;
  }
}

const failure = (content: string): Required<ToolResult> => ({ content: capOutput(content), isError: true });
