import type { z } from 'zod';
import type { ApprovalCategory, ChatEventBody, TodoItem } from '../../../protocol/chat';
import type { DaemonClient } from '../../daemon-client';
import type { GitCredentials, Person } from '../../../protocol/daemon/git';
import { AppError } from '../../errors';

/** What the model sees of a tool, and which approval category guards it. */
export interface ToolDefinitionOf<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  input: S;
  category: ApprovalCategory;
  /** One line for approval requests: what exactly will happen. */
  summarize(input: z.infer<S>): string;
}

export const defineTool = <S extends z.ZodObject>(def: ToolDefinitionOf<S>): ToolDefinitionOf<S> => def;

/** State a chat's tools keep between calls (todo list, shell session). */
export interface ToolSession {
  todos: TodoItem[];
  /** Names the persistent shell's state files in the sandbox. */
  shellId: string;
}

export interface ToolContext {
  client: DaemonClient;
  /** Aborted when the user cancels: tools stop what they run at once. */
  signal: AbortSignal;
  /** Chat events a tool produces (file changes, todo updates). */
  emit(body: ChatEventBody): Promise<unknown>;
  session: ToolSession;
  /** `database`: it has a PostgreSQL database (project_info reports it). */
  project: { id: string; slug: string; name: string; database?: boolean };
  /** The origin a port of the sandbox is previewed at (opening it needs a team member's sign-in). */
  previewOrigin(port: number): string;
  /** The daemon's own port, left out of port listings. */
  daemonPort: number | undefined;
  /** The user whose prompt this turn answers: who the agent's commits credit, whose own Git credentials a push uses. */
  requester?: Requester;
}

export interface Requester {
  identity(): Promise<Person>;
  gitCredentials(): Promise<GitCredentials>;
}

export interface ToolResult {
  content: string;
  isError?: boolean;
}

export type ToolImplementation<S extends z.ZodObject> = (input: z.infer<S>, ctx: ToolContext) => Promise<ToolResult | string>;

/** A failure the model can act on: its message goes back as the tool result. */
export class ToolFailure extends AppError {
  constructor(message: string) {
    super('bad_request', message, { reason: 'tool_failed' });
    this.name = 'ToolFailure';
  }
}
