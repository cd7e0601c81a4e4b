import { realpath, lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { DaemonError, isErrno } from '../rpc/daemon-error';

/** A resolved workspace path: `rel` as the caller named it (for replies), `real` to operate on. */
export interface Resolved {
  rel: string;
  real: string;
}

/**
 * Keeps every path inside the workspace. `..` segments, NUL bytes and absolute paths elsewhere are
 * refused before touching the disk; then the longest existing prefix is resolved with realpath and
 * must still be inside (so symlinks cannot lead out, also for paths that do not exist yet).
 * This is an API boundary, not a security one: processes in the sandbox share the daemon's rights.
 */
export class Workspace {
  /**
   * The project's environment variables, pushed by the server (`env.set`) and given to every process
   * and terminal started afterwards, so a change needs no sandbox rebuild.
   */
  projectEnv: Readonly<Record<string, string>> = {};

  private constructor(
    /** As configured, e.g. /workspace (absolute paths under it are accepted). */
    readonly configuredRoot: string,
    /** After realpath: what confinement compares against. */
    readonly root: string,
  ) {}

  static async open(dir: string): Promise<Workspace> {
    const configured = path.resolve(dir);
    const real = await realpath(configured);
    if (!(await stat(real)).isDirectory()) throw new Error(`workspace is not a directory: ${dir}`);
    return new Workspace(configured, real);
  }

  contains(abs: string): boolean {
    return abs === this.root || abs.startsWith(this.root === '/' ? '/' : `${this.root}/`);
  }

  /** Workspace-relative form of an absolute path under the root; `.` for the root. */
  relative(abs: string): string {
    return path.relative(this.root, abs) || '.';
  }

  /** Resolves every component, the last one included (read, write, list, mkdir, cwd). */
  async resolve(input: string): Promise<Resolved> {
    const abs = this.lexical(input);
    return { rel: this.relative(abs), real: await this.realInside(abs) };
  }

  /** Like resolve, and it must be an existing directory (a working directory for commands). */
  async resolveDirectory(input: string): Promise<Resolved> {
    const dir = await this.resolve(input);
    const info = await stat(dir.real).catch(() => undefined);
    if (!info) throw new DaemonError('not_found', `no such directory: ${dir.rel}`, 'not_found');
    if (!info.isDirectory()) throw new DaemonError('bad_request', `not a directory: ${dir.rel}`, 'not_a_directory');
    return dir;
  }

  /**
   * Resolves the parent but not the last component, so a symlink itself is what gets deleted,
   * moved or replaced. The root itself is refused.
   */
  async resolveEntry(input: string): Promise<Resolved> {
    const abs = this.lexical(input);
    if (abs === this.root) throw new DaemonError('forbidden', 'cannot do that to the workspace root');
    const parent = await this.realInside(path.dirname(abs));
    return { rel: this.relative(abs), real: path.join(parent, path.basename(abs)) };
  }

  private lexical(input: string): string {
    if (input.includes('\0')) throw new DaemonError('bad_request', 'path contains a NUL byte');
    if (input.split(/[\\/]/).includes('..')) throw new DaemonError('forbidden', `path must not contain "..": ${input}`);
    let abs: string;
    if (path.isAbsolute(input)) {
      abs = path.resolve(input);
      const configuredPrefix = `${this.configuredRoot}/`;
      if (abs === this.configuredRoot) abs = this.root;
      else if (abs.startsWith(configuredPrefix)) abs = path.join(this.root, abs.slice(configuredPrefix.length));
    } else {
      abs = path.resolve(this.root, input);
    }
    if (!this.contains(abs)) throw new DaemonError('forbidden', `path is outside the workspace: ${input}`);
    return abs;
  }

  private async realInside(abs: string): Promise<string> {
    const tail: string[] = [];
    let existing = abs;
    for (;;) {
      try {
        const real = await realpath(existing);
        if (!this.contains(real)) throw new DaemonError('forbidden', `path leads outside the workspace: ${this.relative(abs)}`);
        return path.join(real, ...tail);
      } catch (error) {
        if (isErrno(error, 'ENOTDIR')) throw new DaemonError('bad_request', `not a directory: ${path.relative(this.root, existing)}`, 'not_a_directory');
        if (!isErrno(error, 'ENOENT')) throw error;
        if (await isSymlink(existing)) {
          throw new DaemonError('forbidden', `path goes through a dangling symbolic link: ${this.relative(existing)}`);
        }
        if (existing === this.root || existing === path.dirname(existing)) throw new DaemonError('unavailable', 'workspace is missing');
        tail.unshift(path.basename(existing));
        existing = path.dirname(existing);
      }
    }
  }
}

async function isSymlink(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}
