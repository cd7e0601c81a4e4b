import { DaemonClientError } from '../../../daemon-client/daemon-client-error';
import { ToolFailure } from '../tool';

/** A git answer the model can act on (nothing staged, rejected push, no token) as its tool result. */
export function daemonFailure(error: unknown): ToolFailure | undefined {
  if (error instanceof DaemonClientError && error.code !== 'internal' && error.code !== 'unauthorized' && error.code !== 'unavailable') return new ToolFailure(error.message);
  return undefined;
}
