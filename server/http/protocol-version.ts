import type { Middleware } from 'koa';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../protocol/version';
import { AppError } from '../errors';

/** Clients may name the protocol version they speak; a different one is refused clearly. */
export function protocolVersion(): Middleware {
  return async (ctx, next) => {
    ctx.set(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
    const asked = ctx.get(PROTOCOL_HEADER);
    if (asked && asked !== String(PROTOCOL_VERSION)) {
      throw new AppError('unsupported_protocol', `this server speaks Slipway protocol ${PROTOCOL_VERSION}, not ${asked.slice(0, 20)}; update the client or the server`);
    }
    await next();
  };
}
