import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';

interface Layer {
  /** Directory the .gitignore sits in, relative to where listing started ('' for the start). */
  base: string;
  rules: Ignore;
}

/**
 * The .gitignore files met while walking down a tree, each applying to its own directory and
 * below (like git). `.git/` is always ignored.
 */
export class GitignoreRules {
  private constructor(private readonly layers: readonly Layer[]) {}

  static readonly empty = new GitignoreRules([]);

  /** The rules for entries of `dir` (relative `base`), adding its .gitignore if it has one. */
  async enter(dirReal: string, base: string): Promise<GitignoreRules> {
    const text = await readFile(path.join(dirReal, '.gitignore'), 'utf8').catch(() => undefined);
    if (text === undefined) return this;
    return new GitignoreRules([...this.layers, { base, rules: ignore().add(text) }]);
  }

  /** `rel` is relative to where listing started. */
  ignores(rel: string, isDirectory: boolean): boolean {
    if (path.basename(rel) === '.git') return true;
    for (const layer of this.layers) {
      const inner = layer.base ? rel.slice(layer.base.length + 1) : rel;
      if (inner && layer.rules.ignores(isDirectory ? `${inner}/` : inner)) return true;
    }
    return false;
  }
}
