import { DaemonClient } from '../daemon-client';
import type { Dial, SandboxDial } from './runtime';
import { sandboxToken } from './sandbox-token';

/**
 * One keep-alive client per sandbox daemon, shared by the reconciler, the agent's tools and the
 * editor's file system. A new address (the sandbox was recreated) replaces the old client.
 */
export class DaemonConnections {
  private readonly clients = new Map<string, { address: string; client: DaemonClient }>();
  /** Sandboxes whose daemon this process saw go away, and why; until it answers again. */
  private readonly down = new Map<string, string>();

  /** `dial`: how connections reach sandbox addresses when they are not routable from here (the runtime's). */
  constructor(private readonly tokenKey: Uint8Array, readonly dial?: SandboxDial) {}

  /** How connections to this sandbox's addresses are made (undefined: routed directly). */
  dialFor(sandboxId: string): Dial | undefined {
    const { dial } = this;
    return dial && ((host, port) => dial(sandboxId, host, port));
  }

  tokenFor(sandboxId: string): string {
    return sandboxToken(this.tokenKey, sandboxId);
  }

  get(sandboxId: string, address: string): DaemonClient {
    const known = this.clients.get(sandboxId);
    if (known?.address === address) return known.client;
    known?.client.close();
    const client = new DaemonClient({ baseUrl: address, token: this.tokenFor(sandboxId), dial: this.dialFor(sandboxId) });
    this.clients.set(sandboxId, { address, client });
    return client;
  }

  /**
   * The daemon went away: requests in flight to it fail now (their sockets are destroyed), and
   * callers of `downReason` refuse new ones at once instead of waiting on a dead address.
   */
  markDown(sandboxId: string, why: string): void {
    this.down.set(sandboxId, why);
    this.forget(sandboxId);
  }

  markUp(sandboxId: string): void {
    this.down.delete(sandboxId);
  }

  downReason(sandboxId: string): string | undefined {
    return this.down.get(sandboxId);
  }

  forget(sandboxId: string): void {
    this.clients.get(sandboxId)?.client.close();
    this.clients.delete(sandboxId);
  }

  closeAll(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** Polls the daemon's health until it answers (a container takes a moment to start listening). */
export async function waitForDaemon(client: DaemonClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    try {
      await client.call('health', {}, { timeoutMs: 1000 });
      return;
    } catch (error) {
      if (Date.now() + delay > deadline) throw error;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(200, delay * 2);
    }
  }
}
