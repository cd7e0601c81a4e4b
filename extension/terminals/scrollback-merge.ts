/** Enough of the shown output to find where a re-attach's scrollback continues it. */
export const SHOWN_TAIL_CHARS = 256 * 1024;
const ANCHOR = 64;

/** Clears the screen and scrollback (ED 3 + ED 2 + home), before replaying a scrollback from scratch. */
export const CLEAR_SCREEN = '\x1b[3J\x1b[2J\x1b[H';

/**
 * After a re-attach, what to write so the terminal shows the session's output once: the scrollback
 * is the end of everything the PTY printed; `shown` is the end of what this terminal already showed.
 * When the scrollback starts with a stretch that `shown` ends with, only the rest is new. When no
 * such overlap exists (more was missed than the scrollback keeps), the screen is cleared and the
 * scrollback replayed.
 */
export function continuation(shown: string, scrollback: string): { write: string; cleared: boolean } {
  if (!scrollback) return { write: '', cleared: false };
  if (!shown) return { write: scrollback, cleared: false };
  const overlap = longestOverlap(shown, scrollback);
  if (overlap > 0) return { write: scrollback.slice(overlap), cleared: false };
  return { write: CLEAR_SCREEN + scrollback, cleared: true };
}

/** The largest L with scrollback[0, L) === the last L chars of shown (0 if none). */
export function longestOverlap(shown: string, scrollback: string): number {
  const max = Math.min(shown.length, scrollback.length);
  const anchorLength = Math.min(ANCHOR, max);
  const anchor = shown.slice(-anchorLength);
  // Candidates: places where the scrollback contains the end of what was shown.
  for (let at = scrollback.lastIndexOf(anchor, max - anchorLength); at >= 0; at = scrollback.lastIndexOf(anchor, at - 1)) {
    const length = at + anchorLength;
    if (scrollback.startsWith(shown.slice(-length))) return length;
    if (at === 0) break;
  }
  return 0;
}

/** Appends to a bounded tail. */
export function appendTail(tail: string, data: string, limit = SHOWN_TAIL_CHARS): string {
  const next = tail + data;
  return next.length > limit ? next.slice(next.length - limit) : next;
}
