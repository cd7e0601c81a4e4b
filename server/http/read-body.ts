import { Transform, type Readable } from 'node:stream';
import type { Context } from 'koa';
import { AppError } from '../errors';

/** What a streamed body may hold per request in each direction of its pass-through. */
export const PASS_THROUGH_BUFFER_BYTES = 1024 * 1024;

/** Reads the raw request body, refusing it as soon as it passes `limit` bytes. */
export async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.req.unpipe();
      ctx.req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * The request body as a stream that fails with 413 once more than `limit` bytes came (a declared
 * length over it fails at once): for bodies passed on as they arrive, never held whole.
 */
export function limitedBody(ctx: Context, limit: number): Readable {
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limit) throw tooLarge(limit);
  let size = 0;
  const counted = new Transform({
    // Up to this much waits for the sandbox, so the client's upload and the daemon's writes overlap
    // (at Node's 64 KiB default, every chunk or two stops the upload); beyond it, backpressure.
    highWaterMark: PASS_THROUGH_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) {
        ctx.req.unpipe(counted);
        ctx.req.resume();
        done(tooLarge(limit));
      } else done(null, chunk);
    },
  });
  ctx.req.once('close', () => {
    if (!ctx.req.complete) counted.destroy(new AppError('bad_request', 'the request was cut off'));
  });
  return ctx.req.pipe(counted);
}

const tooLarge = (limit: number) =>
  new AppError('payload_too_large', `request body is larger than ${formatBytes(limit)}`);

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** True when the request carries a body: a non-zero Content-Length, or any Transfer-Encoding (chunked). */
export const hasBody = (ctx: Context): boolean =>
  ctx.get('transfer-encoding') !== '' || Number(ctx.get('content-length') || 0) > 0;

/** Parses a JSON body; an empty body is `{}`. Any body at all must say `application/json`. */
export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  if (hasBody(ctx) && !ctx.is('application/json')) {
    throw new AppError('unsupported_media_type', 'send the body as application/json');
  }
  const raw = await readBody(ctx, limit);
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'the body is not valid JSON');
  }
}
