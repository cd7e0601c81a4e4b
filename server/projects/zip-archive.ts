import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../errors';
import { formatBytes } from '../http/read-body';

export interface ZipLimits {
  entries: number;
  unzippedBytes: number;
}

export interface ZipFileEntry {
  /** Workspace-relative path, with a single top-level folder shared by all entries removed. */
  path: string;
  data: Buffer;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Reads a ZIP completely and checks every entry: no path may leave the project folder (zip-slip),
 * no symlinks, no more than the limits in count and unpacked size (zip bombs, whose headers may lie,
 * are caught while inflating). `onFile` receives each file; with none it only validates.
 */
export async function readZip(archive: Buffer, limits: ZipLimits, onFile?: (file: ZipFileEntry) => Promise<void>): Promise<{ entries: number; bytes: number }> {
  const zip = await open(archive);
  try {
    if (zip.entryCount > limits.entries) throw invalid(`the archive has ${zip.entryCount} entries; the limit is ${limits.entries}`);
    const entries = await listEntries(zip);
    const prefix = commonFolder(entries.map((e) => e.fileName));
    let bytes = 0;
    let files = 0;
    for (const entry of entries) {
      checkEntry(entry);
      if (entry.fileName.endsWith('/')) continue;
      bytes += entry.uncompressedSize;
      if (bytes > limits.unzippedBytes) throw invalid(`the archive unpacks to more than ${formatBytes(limits.unzippedBytes)}`);
      const data = await readEntry(zip, entry, limits.unzippedBytes);
      files += 1;
      const path = entry.fileName.slice(prefix.length);
      if (onFile && path) await onFile({ path, data });
    }
    return { entries: files, bytes };
  } finally {
    zip.close();
  }
}

const invalid = (message: string) => new AppError('bad_request', message);

function open(archive: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(archive, { lazyEntries: true, validateEntrySizes: true }, (err, zip) =>
      err || !zip ? reject(translate(err)) : resolve(zip)));
}

function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => { entries.push(entry); zip.readEntry(); });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: Error) => reject(translate(err)));
    zip.readEntry();
  });
}

function checkEntry(entry: Entry): void {
  const name = entry.fileName;
  if (name.includes('\0')) throw invalid('an entry name contains a NUL byte');
  if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw invalid(`the archive contains a symbolic link (${name}); links are refused`);
  if (name.length > 1024 || name.split('/').length > 64) throw invalid(`an entry path is too long or too deep (${name.slice(0, 80)}…)`);
}

function readEntry(zip: ZipFile, entry: Entry, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(translate(err));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) stream.destroy(invalid('the archive unpacks to more than the limit'));
        else chunks.push(chunk);
      });
      stream.on('error', (e) => reject(translate(e)));
      stream.on('end', () => resolve(Buffer.concat(chunks, size)));
    });
  });
}

/** `proj/` when every entry lives under `proj/` (as in archives of a folder); else ''. */
function commonFolder(names: string[]): string {
  const first = names.find((n) => n.includes('/'))?.split('/')[0];
  if (!first) return '';
  const prefix = `${first}/`;
  return names.every((n) => n.startsWith(prefix)) ? prefix : '';
}

/** yauzl's messages are clear; they become 400s naming the problem. */
function translate(err: Error | null | undefined): Error {
  if (err instanceof AppError) return err;
  const message = err?.message ?? 'unreadable archive';
  if (/absolute path|invalid relative path|invalid characters/.test(message)) {
    return invalid(`the archive has an entry outside the project folder (${message}); it was refused`);
  }
  return invalid(`not a valid ZIP archive: ${message}`);
}
