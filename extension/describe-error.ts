import { ClientError } from '../protocol/client/client-error';
import { PROTOCOL_VERSION } from '../protocol/version';

/** One sentence for the user about why something failed, with what to do about it. */
export function describeError(error: unknown, serverUrl: string): string {
  if (ClientError.is(error)) {
    if (error.kind === 'network') return `Cannot reach the Slipway server at ${serverUrl}. Is it running, and is the "slipway.serverUrl" setting right? (${error.message})`;
    if (error.kind === 'invalid') return `The server at ${serverUrl} does not answer like a Slipway server: ${error.message}`;
    if (error.code === 'unsupported_protocol') return `The server at ${serverUrl} speaks another version of the Slipway protocol than this extension (version ${PROTOCOL_VERSION}). Update the extension or the server. (${error.message})`;
    if (error.code === 'unauthorized') return `The Slipway server did not accept your sign-in: ${error.message}. Sign in again.`;
    if (error.code === 'rate_limited') return `The Slipway server asks to slow down: ${error.message}`;
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True when the saved credentials no longer work (revoked or expired): the session should end. */
export const isSignedOutError = (error: unknown): boolean => ClientError.is(error, 'unauthorized');
