/**
 * Where a turn's time went, for the bench: the agent's own overhead is the total minus the time
 * spent waiting for the model and running tools; `phases` splits that overhead further.
 */
export interface TurnTiming {
  totalMs: number;
  modelMs: number;
  toolMs: number;
  steps: number;
  /** Parts of the overhead, by name (ms); what no phase covers is the rest. */
  phases: Record<string, number>;
}

export type TimingListener = (timing: TurnTiming & { chatId: string }) => void;

/** The phases a turn's overhead is split into (see `TurnClock.phase`). */
export type TurnPhase = 'turn-start reads' | 'events written after the model' | 'checkpoint after the turn';

export class TurnClock {
  private readonly started = performance.now();
  private readonly phases: Record<string, number> = {};
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

  /** Time spent in a part of the turn's own overhead (never around model or tool time). */
  async phase<T>(name: TurnPhase, work: () => Promise<T>): Promise<T> {
    const at = performance.now();
    try { return await work(); } finally { this.phases[name] = (this.phases[name] ?? 0) + performance.now() - at; }
  }

  done(): TurnTiming {
    return { totalMs: performance.now() - this.started, modelMs: this.modelMs, toolMs: this.toolMs, steps: this.steps, phases: { ...this.phases } };
  }
}
