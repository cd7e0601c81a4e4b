/**
 * For a failed search: the places in the text most like what was searched for, with line numbers,
 * so the model can correct its old_string (often whitespace or a stale copy).
 */
export function nearestCandidates(text: string, wanted: string, count = 3): string {
  const lines = text.split('\n');
  const wantedLines = wanted.replace(/\n$/, '').split('\n');
  const span = Math.max(1, Math.min(wantedLines.length, 40));
  const target = bigrams(normalize(wanted));
  if (normalize(text).includes(normalize(wanted))) {
    const hint = 'The text exists when whitespace is ignored: check indentation, tabs versus spaces and line endings.';
    return `${hint}\n${render(best(lines, span, target, count), lines, span)}`;
  }
  const found = best(lines, span, target, count);
  if (!found.length || found[0]!.score < 0.2) return 'Nothing in the file resembles it; read the file again before editing.';
  return `The closest text in the file:\n${render(found, lines, span)}`;
}

interface Scored { start: number; score: number }

function best(lines: string[], span: number, target: Map<string, number>, count: number): Scored[] {
  const scored: Scored[] = [];
  const limit = Math.min(lines.length, 5000);
  for (let start = 0; start < limit; start++) {
    const window = lines.slice(start, start + span).join('\n');
    scored.push({ start, score: dice(target, bigrams(normalize(window))) });
  }
  scored.sort((a, b) => b.score - a.score);
  const picked: Scored[] = [];
  for (const candidate of scored) {
    if (picked.length >= count) break;
    if (picked.every((p) => Math.abs(p.start - candidate.start) >= span)) picked.push(candidate);
  }
  return picked;
}

function render(found: Scored[], lines: string[], span: number): string {
  return found
    .map(({ start, score }) => {
      const body = lines.slice(start, start + span).map((line, i) => `${start + i + 1}\t${line}`).join('\n');
      return `--- lines ${start + 1}-${Math.min(lines.length, start + span)} (similarity ${Math.round(score * 100)}%)\n${body}`;
    })
    .join('\n');
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

function bigrams(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const pair = text.slice(i, i + 2);
    map.set(pair, (map.get(pair) ?? 0) + 1);
  }
  return map;
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let total = 0;
  let shared = 0;
  for (const n of a.values()) total += n;
  for (const n of b.values()) total += n;
  for (const [pair, n] of a) shared += Math.min(n, b.get(pair) ?? 0);
  return total === 0 ? 0 : (2 * shared) / total;
}
