import type { DaemonStream } from '../daemon-client/daemon-stream';
import type { DaemonConnections } from '../runtime/daemon-connections';

interface Watched {
  address: string;
  stream?: DaemonStream;
  ended: boolean;
}

const HEARTBEAT_MS = 2000;

/**
 * Holds a WebSocket open to the daemon of every sandbox that should be running, so that its end is
 * seen at once: the daemon exiting or its container stopping closes the socket, and a heartbeat cuts
 * off a daemon that no longer answers at all. `onDown` is called once per loss; watching again
 * (after the sandbox is back) re-arms it. Sandboxes stopped on purpose are unwatched first.
 */
export class DaemonWatch {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly daemons: DaemonConnections, private readonly onDown: (sandboxId: string, address: string, why: string) => void) {}

  watch(sandboxId: string, address: string): void {
    const known = this.watched.get(sandboxId);
    if (known?.address === address) return;
    if (known) this.unwatch(sandboxId);
    const entry: Watched = { address, ended: false };
    this.watched.set(sandboxId, entry);
    const lost = (why: string) => {
      if (entry.ended) return;
      entry.ended = true;
      if (this.watched.get(sandboxId) === entry) this.watched.delete(sandboxId);
      this.onDown(sandboxId, address, why);
    };
    this.daemons.get(sandboxId, address).connect().then((stream) => {
      if (entry.ended) return stream.close();
      entry.stream = stream;
      this.daemons.markUp(sandboxId);
      stream.onClose(() => lost('its daemon stopped'));
      stream.heartbeat(HEARTBEAT_MS);
    }, () => lost('its daemon does not answer'));
  }

  /** Whether this daemon's stream is open now (its death would be seen at once). */
  isOpen(sandboxId: string, address: string): boolean {
    const entry = this.watched.get(sandboxId);
    return entry?.address === address && !entry.ended && entry.stream?.open === true;
  }

  unwatch(sandboxId: string): void {
    const entry = this.watched.get(sandboxId);
    if (!entry) return;
    entry.ended = true;
    entry.stream?.close();
    this.watched.delete(sandboxId);
  }

  closeAll(): void {
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }
}
