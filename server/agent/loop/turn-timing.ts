/**
 * Where a turn's time went, for the bench: the agent's own overhead is the total minus the time
 * spent waiting for the model and running tools.
 */
export interface TurnTiming {
  totalMs: number;
  modelMs: number;
  toolMs: number;
  steps: number;
}

export type TimingListener = (timing: TurnTiming & { chatId: string }) => void;

export class TurnClock {
  private readonly started = performance.now();
  modelMs = 0;
  toolMs = 0;
  steps = 0;

  async model<T>(work: () => Promise<T>): Promise<T> {
    const at = performance.now();
    try { return await work(); } finally { this.modelMs += performance.now() - at; }
  }

  async tool<T>(work: () => Promise<T>): Promise<T> {
    const at = performance.now();
    try { return await work(); } finally { this.toolMs += performance.now() - at; }
  }

  done(): TurnTiming {
    return { totalMs: performance.now() - this.started, modelMs: this.modelMs, toolMs: this.toolMs, steps: this.steps };
  }
}
