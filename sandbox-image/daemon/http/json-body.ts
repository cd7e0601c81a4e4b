import type { IncomingMessage } from 'node:http';
import { DaemonError } from '../rpc/daemon-error';

/** Reads a JSON request body of at most `limit` bytes. An empty body reads as `{}`. */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  const type = req.headers['content-type'];
  if (type && !/^application\/json\b/i.test(type)) {
    return Promise.reject(new DaemonError('unsupported_media_type', 'send application/json'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      if (size > limit) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new DaemonError('bad_request', 'body is not valid JSON'));
      }
    });
  });
}

const tooLarge = (limit: number): DaemonError => new DaemonError('payload_too_large', `body is larger than ${limit} bytes`);
