/** Why a running turn was aborted: a person pressed stop, or this server is shutting down. */
export class TurnAbort extends Error {
  constructor(readonly kind: 'cancel' | 'shutdown', readonly by: string | null = null) {
    super(kind === 'cancel' ? `cancelled${by ? ` by ${by}` : ''}` : 'the server is shutting down');
    this.name = 'TurnAbort';
  }
}

export const abortReason = (signal: AbortSignal): TurnAbort =>
  signal.reason instanceof TurnAbort ? signal.reason : new TurnAbort('cancel');

/** A turn that cannot go on, with a code and a message for the chat. */
export class TurnFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'TurnFailure';
  }
}
