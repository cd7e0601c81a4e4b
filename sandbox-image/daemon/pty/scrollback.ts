/** The newest output of a terminal, about `capacity` bytes of it, for clients that (re)attach. */
export class Scrollback {
  private chunks: string[] = [];
  private bytes = 0;

  constructor(private readonly capacity: number) {}

  append(data: string): void {
    this.chunks.push(data);
    this.bytes += Buffer.byteLength(data);
    while (this.bytes > this.capacity && this.chunks.length > 1) {
      const first = this.chunks.shift() ?? '';
      this.bytes -= Buffer.byteLength(first);
    }
    if (this.bytes > this.capacity) {
      // One chunk larger than everything: keep its end (character-wise, close enough to bytes).
      const only = this.chunks[0] ?? '';
      const kept = only.slice(only.length - this.capacity);
      this.chunks = [kept];
      this.bytes = Buffer.byteLength(kept);
    }
    if (this.chunks.length > 512) this.chunks = [this.chunks.join('')];
  }

  text(): string {
    return this.chunks.join('');
  }
}
