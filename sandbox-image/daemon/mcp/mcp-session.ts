/** One MCP server the daemon holds open for a client: messages in, messages out, one close. */
export interface McpSession {
  readonly pid: number | null;
  send(message: string): Promise<void>;
  /** Ends it (kills a stdio server's process group); `closed` is not reported for it. */
  close(): void;
}

export interface SessionEvents {
  message(text: string): void;
  closed(end: { reason: string; exitCode: number | null; stderr: string }): void;
}
