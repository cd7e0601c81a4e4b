import type { AgentMode } from '../../../protocol/chat';
import type { ToolDefinitionOf } from './tool';

/**
 * What each mode lets the agent do, by the tools' approval categories: `plan` reads and searches
 * (and keeps its todo list, a `read` tool); `act` may use every tool its approvals allow.
 */
export function allowedInMode(mode: AgentMode, def: Pick<ToolDefinitionOf, 'category'>): boolean {
  return mode === 'act' || def.category === 'read';
}

/** The tool result a refused call gets: the model learns why and what to do instead. */
export function planModeRefusal(def: Pick<ToolDefinitionOf, 'name' | 'category'>): string {
  return `${def.name} is not available in plan mode (it is a ${def.category} tool): plan mode may only read and search the project. ` +
    'Do not try to change anything now. Write your plan with todo_write and describe it; the user reviews it and runs it with Act.';
}
