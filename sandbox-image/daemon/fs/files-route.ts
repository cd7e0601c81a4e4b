import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Entry } from '../../../protocol/daemon/fs';
import { FILE_SIZE_HEADER, MAX_FILE_WRITE_BYTES, ReadFileQuery, WriteFileQuery } from '../../../protocol/daemon/files';
import { describeIssues } from '../../../protocol/errors';
import type { FilesRoute } from '../http/request-router';
import { sendError, sendJson } from '../http/respond';
import { DaemonError, describing, toErrorInfo } from '../rpc/daemon-error';
import type { Workspace } from '../workspace/workspace';
import { writeAtomically } from './atomic-write';
import { parseByteRange } from './byte-range';
import { describeEntry } from './entry';

/** Read size for file bytes going out (Node's default is 64 KiB: 1600 reads for 100 MB). */
const READ_CHUNK_BYTES = 1024 * 1024;

/** GET and PUT /files: raw bytes in and out, no JSON or base64 around them. */
export function filesRoute(ws: Workspace, maxWriteBytes = MAX_FILE_WRITE_BYTES): FilesRoute {
  return async (req, res, url) => {
    const query = Object.fromEntries(url.searchParams);
    try {
      if (req.method === 'GET' || req.method === 'HEAD') await readFile(ws, req, res, query);
      else if (req.method === 'PUT') await writeFile(ws, req, res, query, maxWriteBytes);
      else throw new DaemonError('not_found', `no route: ${req.method} /files`);
    } catch (error) {
      sendError(req, res, toErrorInfo(error), { abandon: req.method === 'PUT' });
    }
  };
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DaemonError('validation_failed', describeIssues(parsed.error));
  return parsed.data;
}

async function readFile(ws: Workspace, req: IncomingMessage, res: ServerResponse, query: unknown): Promise<void> {
  const { path } = parse(ReadFileQuery, query);
  const target = await ws.resolve(path);
  const handle = await describing(target.rel, () => open(target.real, 'r'));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new DaemonError('bad_request', `not a file: ${target.rel}`, info.isDirectory() ? 'is_a_directory' : undefined);
    const range = parseByteRange(req.headers.range, info.size);
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      'last-modified': info.mtime.toUTCString(),
      [FILE_SIZE_HEADER]: String(info.size),
    };
    if (range === 'unsatisfiable') {
      sendJson(res, 416, { error: { code: 'bad_request', message: `range not satisfiable (size ${info.size})` } }, { 'content-range': `bytes */${info.size}` });
      return;
    }
    const { start, end } = range === 'whole' ? { start: 0, end: info.size - 1 } : range;
    const length = Math.max(0, end - start + 1);
    headers['content-length'] = String(length);
    if (range !== 'whole') headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
    res.writeHead(range === 'whole' ? 200 : 206, headers);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    // Large reads: fewer, larger chunks; the response's backpressure still bounds what is held.
    await pipeline(handle.createReadStream({ start, end, autoClose: false, highWaterMark: READ_CHUNK_BYTES }), res);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function writeFile(ws: Workspace, req: IncomingMessage, res: ServerResponse, query: unknown, maxBytes: number): Promise<void> {
  const params = parse(WriteFileQuery, query);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new DaemonError('payload_too_large', `file is larger than ${maxBytes} bytes`);
  const target = await ws.resolve(params.path);
  const mode = params.mode === undefined ? undefined : Number.parseInt(params.mode, 8);
  await writeAtomically(target, req, { createParents: params.createParents, mode, maxBytes });
  sendJson(res, 200, Entry.parse(await describeEntry(ws, target.rel, target.real)));
}
