/**
 * Splits a byte stream into newline-terminated lines (MCP's stdio framing), holding at most
 * `maxChars` of an unfinished line: a longer one is reported once as too long, then skipped.
 */
export class LineSplitter {
  private partial = '';
  private skipping = false;

  constructor(
    private readonly maxChars: number,
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, end);
      start = end + 1;
      if (this.skipping) {
        this.skipping = false;
        this.partial = '';
        continue;
      }
      const line = (this.partial + piece).replace(/\r$/, '');
      this.partial = '';
      if (line.length > this.maxChars) this.onTooLong();
      else if (line.trim()) this.onLine(line);
    }
    if (this.skipping) return;
    this.partial += chunk.slice(start);
    if (this.partial.length > this.maxChars) {
      this.partial = '';
      this.skipping = true;
      this.onTooLong();
    }
  }
}
