import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { resourcePath } from '../../server/resources';

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

let answers: Promise<boolean> | undefined;

/**
 * For suites that need a real Kubernetes cluster through kubectl (KUBECONFIG). Without one they are
 * skipped with the reason, except when SLIPWAY_REQUIRE_KUBERNETES is set (CI): then they fail.
 */
export async function requireKubectlCluster(context: Mocha.Context): Promise<void> {
  answers ??= process.env.KUBECONFIG
    ? kubectl(['get', '--raw', '/readyz'], { timeoutMs: 20_000 }).then(() => true, () => false)
    : Promise.resolve(false);
  if (await answers) return;
  const how = 'eval "$(bash ../shared/k8s-test-cluster/up.sh /var/tmp/slipway-k8s)" starts the test cluster';
  if (process.env.SLIPWAY_REQUIRE_KUBERNETES) throw new Error(`Kubernetes is required here (SLIPWAY_REQUIRE_KUBERNETES is set) but ${KUBECTL} gets no answer from KUBECONFIG=${process.env.KUBECONFIG ?? '(unset)'}; ${how}`);
  console.warn(`    skipped: no Kubernetes cluster (KUBECONFIG unset or not answering; ${how})`);
  context.skip();
}

/** The test cluster kit's up.sh: SLIPWAY_K8S_KIT, else a `shared/k8s-test-cluster` beside the repository or above it. */
function kitUpScript(): string | undefined {
  if (process.env.SLIPWAY_K8S_KIT) return join(process.env.SLIPWAY_K8S_KIT, 'up.sh');
  for (let dir = dirname(resourcePath()); ; dir = dirname(dir)) {
    const script = join(dir, 'shared', 'k8s-test-cluster', 'up.sh');
    if (existsSync(script)) return script;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Puts local Docker images on the cluster's node (nothing can be pulled here) unless it holds them. */
export async function ensureImagesInCluster(images: string[]): Promise<void> {
  const nodes = await kubectlJson<{ items: { status?: { images?: { names?: string[] }[] } }[] }>(['get', 'nodes']);
  const held = new Set(nodes.items.flatMap((n) => n.status?.images?.flatMap((i) => i.names ?? []) ?? []));
  const missing = images.filter((image) => !held.has(image.includes('/') ? image : `docker.io/library/${image}`));
  if (missing.length === 0) return;
  const script = kitUpScript();
  const state = process.env.SLIPWAY_K8S_STATE || (process.env.KUBECONFIG ? dirname(process.env.KUBECONFIG) : '');
  if (!script || !existsSync(join(state, 'admin.kubeconfig'))) {
    throw new Error(`the cluster's nodes do not hold ${missing.join(', ')}: push them to a registry the cluster pulls from, or load them (kind load docker-image …)`);
  }
  await execFileAsync('bash', [script, state, ...missing.flatMap((image) => ['--import-image', image])], { timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 })
    .catch((error: { stderr?: string; message: string }) => { throw new Error(`importing ${missing.join(', ')} failed: ${(error.stderr ?? error.message).split('\n').slice(-20).join('\n')}`); });
}
