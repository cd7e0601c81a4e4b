import type { ReplyPart, ScriptTurn } from './script';

/** Script shorthands: a tool call, a model step of parts, a plain answer. */
export const call = (name: string, args: Record<string, unknown>): ReplyPart => ({ toolCall: { name, args } });
export const step = (...reply: ReplyPart[]): ScriptTurn => ({ reply });
export const say = (text: string): ScriptTurn => ({ reply: [{ text }] });
/** A call to an MCP server's tool as the model makes it: `<server>__<tool>`. */
export const mcpCall = (server: string, tool: string, args: Record<string, unknown>): ReplyPart => call(`${server}__${tool}`, args);
