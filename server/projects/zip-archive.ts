import { posix } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  /**
   * The entry's inflated bytes. It fails (with a 400 AppError) as soon as the archive's real unpacked
   * size passes the limit or an entry's size differs from its header. The receiver must consume it.
   */
  stream: Readable;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Reads a ZIP entry by entry and checks every entry before any byte is handed out: no path may leave
 * the project folder (zip-slip), no symlinks, no file that is also a folder (`a` and `a/b`), no more
 * than the limits in count; the unpacked size (zip bombs, whose headers may lie) is counted while
 * inflating. Entries are streamed, never held whole: memory stays small whatever their size.
 * `onFile` receives each file and must consume its stream; with none the entries are inflated and
 * counted only (validation).
 */
export async function readZip(archive: Buffer, limits: ZipLimits, onFile?: (file: ZipFileEntry) => Promise<void>, options: { parallel?: number } = {}): Promise<{ entries: number; bytes: number }> {
  const zip = await open(archive);
  try {
    if (zip.entryCount > limits.entries) throw invalid(`the archive has ${zip.entryCount} entries; the limit is ${limits.entries}`);
    const entries = await listEntries(zip);
    for (const entry of entries) checkEntry(entry);
    const prefix = commonFolder(entries.map((e) => e.fileName));
    const files = entries.filter((e) => !e.fileName.endsWith('/'));
    checkConflicts(entries.map((e) => e.fileName.slice(prefix.length)));
    const declared = files.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (declared > limits.unzippedBytes) throw invalid(`the archive unpacks to more than ${formatBytes(limits.unzippedBytes)}`);

    let bytes = 0;
    const count = () => new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > limits.unzippedBytes) done(invalid(`the archive unpacks to more than ${formatBytes(limits.unzippedBytes)}`));
        else done(null, chunk);
      },
    });
    const handle = async (entry: Entry) => {
      const raw = await openEntry(zip, entry);
      const counted = count();
      raw.on('error', (e) => counted.destroy(translate(e)));
      const stream = raw.pipe(counted);
      const path = entry.fileName.slice(prefix.length);
      if (onFile && path) await onFile({ path, stream });
      else await pipeline(stream, discard());
      // The receiver may have stopped early: make sure the entry's own error (a lie, a bomb) surfaces.
      if (stream.errored) throw translate(stream.errored);
    };
    let next = 0;
    const worker = async () => {
      while (next < files.length) await handle(files[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 1, files.length)) }, worker));
    return { entries: files.length, bytes };
  } finally {
    zip.close();
  }
}

const invalid = (message: string) => new AppError('bad_request', message);

const discard = () => new Writable({ write(_chunk, _encoding, done) { done(); } });

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

/** A path cannot be a file and a folder at once: `a` beside `a/b` (or `a/`) cannot be unpacked. */
function checkConflicts(names: string[]): void {
  const files = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const name of names) {
    const path = posix.normalize(name).replace(/^\.\/?/, '').replace(/\/$/, '');
    if (!path) continue;
    if (!name.endsWith('/')) files.set(path, name);
    else folders.set(path, name);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (!folders.has(folder)) folders.set(folder, name);
    }
  }
  for (const [path, name] of files) {
    const inside = folders.get(path);
    if (inside !== undefined) throw invalid(`the archive has "${name}" as a file and "${inside}" inside it as a folder; a path cannot be both`);
  }
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(translate(err)) : resolve(stream)));
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
