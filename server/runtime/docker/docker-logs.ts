/**
 * `docker logs` without a TTY multiplexes stdout and stderr in frames: an 8-byte header (stream,
 * 0, 0, 0, big-endian length) then the payload. Returns the text of all frames.
 */
export function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buffer.length && buffer[at]! <= 2 && buffer[at + 1] === 0) {
    const length = buffer.readUInt32BE(at + 4);
    parts.push(buffer.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  if (at < buffer.length) parts.push(buffer.subarray(at));
  return Buffer.concat(parts).toString('utf8');
}

/** The last `lines` non-empty lines. */
export const tail = (text: string, lines: number): string =>
  text.split('\n').filter((l) => l.trim()).slice(-lines).join('\n');
