import type { ChatEvent, ChatEventBody } from '../../../protocol/chat';
import { withoutNul } from '../../../protocol/nul-check';
import type { Sql, Tx } from '../../db/database';

export const CHAT_CHANNEL = 'slipway_chat_events';
/** NOTIFY payloads are limited to 8000 bytes; larger events are fetched by the listeners. */
const MAX_INLINE_BYTES = 7000;

/** What goes through NOTIFY: the event itself when small, else only where to find it. */
export interface ChatNotice {
  chatId: string;
  seq: number;
  origin: string;
  event?: ChatEvent;
}

/**
 * Appends one event with the chat's next sequence number, in one statement: the row lock on the
 * chat serialises writers, so when seq N is visible every seq below it is too. The NOTIFY goes
 * out at commit. The caller publishes the event to its own process's subscribers after that.
 */
export async function appendEvent(db: Sql | Tx, origin: string, chatId: string, raw: ChatEventBody): Promise<ChatEvent> {
  // Command output and model text may hold NUL bytes, which PostgreSQL cannot store.
  const body = withoutNul(raw);
  const json = JSON.stringify(body);
  const inline = Buffer.byteLength(json) < MAX_INLINE_BYTES;
  const [row] = await db<{ seq: string; at: Date }[]>`
    WITH s AS (UPDATE chats SET last_seq = last_seq + 1, updated_at = now() WHERE id = ${chatId} RETURNING last_seq),
    ins AS (
      INSERT INTO chat_events (chat_id, seq, type, body)
      SELECT ${chatId}, last_seq, ${body.type}, ${db.json(body as never)} FROM s RETURNING seq, at, body
    )
    SELECT seq, at, pg_notify(${CHAT_CHANNEL}, json_build_object(
      'chatId', ${chatId}::text, 'seq', seq, 'origin', ${origin}::text, 'at', at,
      'body', CASE WHEN ${inline} THEN body END)::text) FROM ins`;
  if (!row) throw new Error(`chat ${chatId} does not exist`);
  return { seq: Number(row.seq), at: row.at.toISOString(), body };
}

/**
 * Appends several events in one statement (one round trip): they take the chat's next `n`
 * sequence numbers in the order given, commit together (all or none), and their NOTIFYs go out at
 * commit in that order. Same row lock and visibility rule as `appendEvent`.
 */
export async function appendEvents(db: Sql | Tx, origin: string, chatId: string, raws: ChatEventBody[]): Promise<ChatEvent[]> {
  if (raws.length === 1) return [await appendEvent(db, origin, chatId, raws[0]!)];
  const bodies = raws.map((raw) => withoutNul(raw));
  const n = bodies.length;
  const rows = await db<{ seq: string; at: Date }[]>`
    WITH s AS (UPDATE chats SET last_seq = last_seq + ${n}, updated_at = now() WHERE id = ${chatId} RETURNING last_seq),
    b AS (SELECT e.body, e.i FROM jsonb_array_elements(${db.json(bodies as never)}::jsonb) WITH ORDINALITY AS e(body, i)),
    ins AS (
      INSERT INTO chat_events (chat_id, seq, type, body)
      SELECT ${chatId}, s.last_seq - ${n} + b.i, b.body ->> 'type', b.body FROM s, b ORDER BY b.i
      RETURNING seq, at, body
    )
    SELECT seq, at, pg_notify(${CHAT_CHANNEL}, json_build_object(
      'chatId', ${chatId}::text, 'seq', seq, 'origin', ${origin}::text, 'at', at,
      'body', CASE WHEN octet_length(body::text) < ${MAX_INLINE_BYTES} THEN body END)::text)
    FROM ins ORDER BY seq`;
  if (rows.length === 0) throw new Error(`chat ${chatId} does not exist`);
  return rows.map((row, i) => ({ seq: Number(row.seq), at: row.at.toISOString(), body: bodies[i]! }));
}

/** Events of a chat after `afterSeq`, in order. */
export async function readEvents(db: Sql | Tx, chatId: string, afterSeq: number, limit = 1000): Promise<ChatEvent[]> {
  const rows = await db<{ seq: string; at: Date; body: ChatEventBody }[]>`
    SELECT seq, at, body FROM chat_events WHERE chat_id = ${chatId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
  return rows.map((r) => ({ seq: Number(r.seq), at: r.at.toISOString(), body: r.body }));
}

export function parseNotice(payload: string): ChatNotice | undefined {
  try {
    const value = JSON.parse(payload) as { chatId?: unknown; seq?: unknown; origin?: unknown; at?: unknown; body?: unknown };
    if (typeof value.chatId !== 'string' || typeof value.seq !== 'number' || typeof value.origin !== 'string') return undefined;
    const notice: ChatNotice = { chatId: value.chatId, seq: value.seq, origin: value.origin };
    if (value.body && typeof value.at === 'string') {
      notice.event = { seq: value.seq, at: new Date(value.at).toISOString(), body: value.body as ChatEventBody };
    }
    return notice;
  } catch {
    return undefined;
  }
}
