import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** git on this machine for tests: no user or system config, a fixed author. */
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, {
  cwd, encoding: 'utf8',
  env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@t' },
});

/** `root/app.git`: a bare repository with one commit on main (README.md), as a Git host would serve it. */
export async function seedBareRepository(root: string, readme = '# app\n'): Promise<void> {
  const seed = join(root, 'seed');
  git(root, 'init', '-q', '-b', 'main', seed);
  await writeFile(join(seed, 'README.md'), readme);
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'initial');
  git(root, 'clone', '-q', '--bare', seed, 'app.git');
}
