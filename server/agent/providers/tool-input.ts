import type { StreamEvent } from './provider';

type ToolCallDone = Extract<StreamEvent, { type: 'tool_call_done' }>;

/**
 * The arguments of one tool call, streamed as JSON text in fragments. An empty text means no
 * arguments. Text that is not a JSON object (e.g. cut off by max_tokens) gives `{}` plus an
 * `inputError` the agent can hand back to the model.
 */
export class ToolInputBuffer {
  private json = '';

  constructor(
    readonly id: string,
    readonly name: string,
    /** Used when no fragments arrive (some servers send the whole input up front). */
    private readonly initial: Record<string, unknown> = {},
  ) {}

  append(fragment: string): void {
    this.json += fragment;
  }

  done(): ToolCallDone {
    const base = { type: 'tool_call_done' as const, id: this.id, name: this.name };
    if (this.json.trim() === '') return { ...base, input: this.initial };
    try {
      const value: unknown = JSON.parse(this.json);
      if (isObject(value)) return { ...base, input: value };
      return { ...base, input: {}, inputError: 'the tool input is not a JSON object' };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ...base, input: {}, inputError: `the tool input is not valid JSON (${reason})` };
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
