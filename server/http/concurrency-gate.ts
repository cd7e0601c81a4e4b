import { AppError } from '../errors';

/**
 * At most `limit` holders at once in this process; one more is refused at once with 429 and a
 * Retry-After, before it costs anything (heavy requests: ZIP imports read and inflate archives).
 */
export class ConcurrencyGate {
  private held = 0;

  constructor(private readonly limit: number, private readonly what: string, private readonly retryAfterSeconds = 5) {}

  /** A release function, to call exactly once when done; throws `rate_limited` when full. */
  enter(): () => void {
    if (this.held >= this.limit) {
      throw new AppError('rate_limited', `the server is busy with ${this.limit} other ${this.what} at the moment; try again in ${this.retryAfterSeconds} s`, { retryAfter: this.retryAfterSeconds });
    }
    this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= 1;
    };
  }
}
