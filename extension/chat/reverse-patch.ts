/**
 * The text of a file before a change, from the text after it and the change's unified diff (as the
 * agent's file-change events carry them). Undefined when the diff does not fit the text (the file
 * changed again since) or was cut.
 */
export function textBefore(after: string, diff: string): string | undefined {
  const lines = after.split('\n');
  const hunks = parseHunks(diff);
  if (!hunks) return undefined;
  // From the last hunk back, so earlier line numbers stay valid.
  for (const hunk of [...hunks].reverse()) {
    const start = hunk.newStart === 0 ? 0 : hunk.newStart - 1;
    const now = hunk.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1));
    const then = hunk.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1));
    if (lines.slice(start, start + now.length).join('\n') !== now.join('\n')) return undefined;
    lines.splice(start, now.length, ...then);
  }
  return lines.join('\n');
}

interface Hunk { newStart: number; lines: string[] }

function parseHunks(diff: string): Hunk[] | undefined {
  const hunks: Hunk[] = [];
  for (const line of diff.split('\n')) {
    if (line.startsWith('--- ') || line.startsWith('+++ ')) continue;
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (header) hunks.push({ newStart: Number(header[1]), lines: [] });
    else if (line.startsWith('@@')) return undefined;
    else if (/^[ +-]/.test(line) && hunks.length) hunks.at(-1)!.lines.push(line);
    else if (line.startsWith('\\') || line === '') continue;
    else return undefined;
  }
  return hunks.length ? hunks : undefined;
}
