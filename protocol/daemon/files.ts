import { z } from 'zod';
import { WorkspacePath } from './paths';

/**
 * Raw file bodies travel outside JSON:
 *   GET /files?path=P             the bytes; `Range: bytes=a-b` gives 206 with Content-Range
 *   PUT /files?path=P[&createParents=true][&mode=644]
 *                                 the request body replaces the file atomically; answers an Entry
 */
export const FILES_PATH = '/files';

export const ReadFileQuery = z.object({ path: WorkspacePath });
export type ReadFileQuery = z.infer<typeof ReadFileQuery>;

export const WriteFileQuery = z.object({
  path: WorkspacePath,
  createParents: z.stringbool().default(false),
  /** Octal permission bits for a new file; an existing file keeps its mode unless given. */
  mode: z.string().regex(/^[0-7]{3,4}$/, 'octal mode like 644').optional(),
});

/** Largest body a PUT /files accepts. */
export const MAX_FILE_WRITE_BYTES = 512 * 1024 * 1024;
/** Largest JSON body for POST /rpc/<method>, and largest stream message. */
export const MAX_RPC_BODY_BYTES = 1024 * 1024;
/** Total size of a file, on GET responses (also in Content-Range). */
export const FILE_SIZE_HEADER = 'x-slipway-file-size';
