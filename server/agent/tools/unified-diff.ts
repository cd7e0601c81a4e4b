import { structuredPatch } from 'diff';

/**
 * A unified diff of two texts (line based, jsdiff), for file-change events. Huge or very different
 * inputs fall back to a summary line rather than spending seconds on a diff: past 4000 edits, or
 * past 300 ms of the event loop (jsdiff is ~1.5x slower than the hand-written Myers it replaced on
 * scattered edits of a 20 000-line file, ~7x on two unrelated ones; the time bound keeps the worst
 * case below what the old code spent).
 */
const MAX_EDIT_LENGTH = 4000;
const MAX_MS = 300;
const CONTEXT = 3;

export function unifiedDiff(path: string, before: string | null, after: string | null, maxChars = 20_000): { diff: string; truncated: boolean } {
  const a = normalized(before);
  const b = normalized(after);
  const header = `--- ${before === null ? '/dev/null' : `a/${path}`}\n+++ ${after === null ? '/dev/null' : `b/${path}`}\n`;
  const patch = structuredPatch('a', 'b', a, b, undefined, undefined, { context: CONTEXT, maxEditLength: MAX_EDIT_LENGTH, timeout: MAX_MS });
  if (!patch) return { diff: `${header}@@ large change: ${lineCount(a)} lines -> ${lineCount(b)} lines @@\n`, truncated: true };
  let diff = header;
  for (const hunk of patch.hunks) {
    // An empty side names the line before it, as GNU diff does.
    const oldStart = hunk.oldLines ? hunk.oldStart : hunk.oldStart - 1;
    const newStart = hunk.newLines ? hunk.newStart : hunk.newStart - 1;
    diff += `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@\n`;
    for (const line of hunk.lines) diff += `${line}\n`;
  }
  return diff.length > maxChars ? { diff: `${diff.slice(0, maxChars)}\n… diff truncated\n`, truncated: true } : { diff, truncated: false };
}

/** Every line ends with a newline, so a missing final newline is not reported as a change. */
function normalized(text: string | null): string {
  if (text === null || text === '') return '';
  return text.endsWith('\n') ? text : `${text}\n`;
}

const lineCount = (text: string): number => (text.match(/\n/g) ?? []).length;
