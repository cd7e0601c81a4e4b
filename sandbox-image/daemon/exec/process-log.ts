import type { OutputStream } from '../../../protocol/daemon/exec';

export interface LogChunk {
  stream: OutputStream;
  /** Byte offset of `data` in the combined log. */
  offset: number;
  data: Buffer;
}

/**
 * A process's combined stdout+stderr, addressed by byte offset. Keeps the newest `capacity` bytes;
 * older chunks are dropped and `start` moves forward.
 */
export class ProcessLog {
  private chunks: LogChunk[] = [];
  private retained = 0;
  start = 0;
  end = 0;

  constructor(private readonly capacity: number) {}

  append(stream: OutputStream, data: Buffer): LogChunk {
    const chunk = { stream, offset: this.end, data };
    this.chunks.push(chunk);
    this.end += data.length;
    this.retained += data.length;
    while (this.retained > this.capacity && this.chunks.length > 0) {
      const first = this.chunks[0];
      if (!first) break;
      const excess = this.retained - this.capacity;
      if (first.data.length <= excess) {
        this.chunks.shift();
        this.retained -= first.data.length;
      } else {
        this.chunks[0] = { stream: first.stream, offset: first.offset + excess, data: first.data.subarray(excess) };
        this.retained -= excess;
      }
    }
    this.start = this.chunks[0]?.offset ?? this.end;
    return chunk;
  }

  /** Up to `limit` bytes from `offset` (clamped to what is kept). */
  read(offset: number, limit: number): { chunks: LogChunk[]; offset: number; nextOffset: number } {
    const from = Math.min(Math.max(offset, this.start), this.end);
    const out: LogChunk[] = [];
    let position = from;
    for (const chunk of this.chunks) {
      const chunkEnd = chunk.offset + chunk.data.length;
      if (chunkEnd <= position) continue;
      const room = from + limit - position;
      if (room <= 0) break;
      const slice = chunk.data.subarray(position - chunk.offset, position - chunk.offset + room);
      out.push({ stream: chunk.stream, offset: position, data: slice });
      position += slice.length;
    }
    return { chunks: out, offset: from, nextOffset: position };
  }

  /** The offset `limit` bytes before the end (for tails). */
  tailOffset(limit: number): number {
    return Math.max(this.start, this.end - limit);
  }
}
