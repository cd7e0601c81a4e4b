/**
 * Wire protocol version. Bump the major when a message changes incompatibly.
 * HTTP clients send it in the `x-slipway-protocol` header; WebSocket clients as the
 * `slipway.v<N>` subprotocol. A server refuses versions it does not speak with
 * `unsupported_protocol` instead of guessing.
 */
export const PROTOCOL_VERSION = 1;
export const PROTOCOL_HEADER = 'x-slipway-protocol';
export const wsSubprotocol = (version: number = PROTOCOL_VERSION): string => `slipway.v${version}`;

/** Parses `slipway.v3` into 3; anything else gives undefined. */
export function parseWsSubprotocol(value: string): number | undefined {
  const match = /^slipway\.v(\d{1,4})$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}
