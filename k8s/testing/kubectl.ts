import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The kubectl the test cluster kit exports (KUBECTL), else the one on PATH. */
export const KUBECTL = process.env.KUBECTL || 'kubectl';

/** Runs kubectl against KUBECONFIG; fails with its stderr. */
export async function kubectl(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const child = execFileAsync(KUBECTL, args, { timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (options.input !== undefined) child.child.stdin?.end(options.input);
  try {
    return (await child).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}

export async function kubectlJson<T = any>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}
