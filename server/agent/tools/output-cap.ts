/** Most of a tool result the model gets; tools page or cut their own output well below this. */
export const MAX_TOOL_OUTPUT_CHARS = 40_000;

/** Keeps the head and the tail of an oversized result, saying how much was left out. */
export function capOutput(text: string, max = MAX_TOOL_OUTPUT_CHARS): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  const tail = max - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n\n[… ${omitted} characters omitted …]\n\n${text.slice(-tail)}`;
}
