import type { ErrorReason } from '../../../protocol/errors';
import { AppError } from '../../errors';

/** Why a running turn was aborted: a person pressed stop, or this server is shutting down. */
export class TurnAbort extends AppError {
  constructor(readonly kind: 'cancel' | 'shutdown', readonly by: string | null = null) {
    super('conflict', kind === 'cancel' ? `cancelled${by ? ` by ${by}` : ''}` : 'the server is shutting down', { reason: kind === 'cancel' ? 'cancelled' : 'shutting_down' });
    this.name = 'TurnAbort';
  }
}

export const abortReason = (signal: AbortSignal): TurnAbort =>
  signal.reason instanceof TurnAbort ? signal.reason : new TurnAbort('cancel');

/** A turn that cannot go on, with a reason (the chat's error code) and a message for the chat. */
export class TurnFailure extends AppError {
  constructor(reason: ErrorReason, message: string) {
    super('conflict', message, { reason, expose: true });
    this.name = 'TurnFailure';
  }
}
