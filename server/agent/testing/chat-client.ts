import WebSocket from 'ws';
import type { ChatEvent, ChatEventBody } from '../../../protocol/chat';
import { wsSubprotocol } from '../../../protocol/version';

/**
 * A WebSocket client for chat tests (and the bench): requests with replies, and every
 * `chat.event` push collected per chat, in arrival order, with its arrival time.
 */
export class ChatTestClient {
  readonly events = new Map<string, ChatEvent[]>();
  readonly arrivals: { chatId: string; event: ChatEvent; at: number }[] = [];
  private readonly pending = new Map<number, (frame: Record<string, unknown>) => void>();
  private readonly waiters: (() => void)[] = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (typeof frame.id === 'number' && this.pending.has(frame.id)) {
        this.pending.get(frame.id)!(frame);
        this.pending.delete(frame.id);
        return;
      }
      if (frame.event === 'chat.event') {
        const { chatId, event } = frame.data as { chatId: string; event: ChatEvent };
        let list = this.events.get(chatId);
        if (!list) this.events.set(chatId, (list = []));
        list.push(event);
        this.arrivals.push({ chatId, event, at });
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
  }

  static async open(serverUrl: string, token: string): Promise<ChatTestClient> {
    const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/ws`, [wsSubprotocol()], { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ChatTestClient(ws);
  }

  /** Sends a request; resolves with its result or rejects with its error. */
  async request<T = Record<string, unknown>>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const frame = await new Promise<Record<string, unknown>>((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
    if ('error' in frame) throw Object.assign(new Error(`${method}: ${JSON.stringify(frame.error)}`), { error: frame.error });
    return frame.result as T;
  }

  of(chatId: string): ChatEvent[] {
    return this.events.get(chatId) ?? [];
  }

  /** Waits until an event of the chat matches (checking those already received first). */
  async waitFor(chatId: string, match: (body: ChatEventBody, event: ChatEvent) => boolean, timeoutMs = 30_000): Promise<ChatEvent> {
    const deadline = Date.now() + timeoutMs;
    for (let checked = 0; ;) {
      const list = this.of(chatId);
      for (; checked < list.length; checked++) if (match(list[checked]!.body, list[checked]!)) return list[checked]!;
      if (Date.now() > deadline) throw new Error(`no matching chat event in ${timeoutMs} ms; last: ${JSON.stringify(list.slice(-3).map((e) => e.body))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** The `done` event of a turn. */
  done(chatId: string, turnId: string, timeoutMs = 10_000): Promise<ChatEventBody & { type: 'done' }> {
    return this.waitFor(chatId, (b) => b.type === 'done' && b.turnId === turnId, timeoutMs).then((e) => e.body as ChatEventBody & { type: 'done' });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Bodies of one type, in order. */
export const ofType = <T extends ChatEventBody['type']>(events: ChatEvent[], type: T) =>
  events.map((e) => e.body).filter((b): b is Extract<ChatEventBody, { type: T }> => b.type === type);
