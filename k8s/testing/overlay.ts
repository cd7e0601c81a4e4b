import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { resourcePath } from '../../server/resources';

const execFileAsync = promisify(execFile);

export const K8S_DIR = resourcePath('k8s');

let built: Promise<{ server: string; postgres: string }> | undefined;

/** Builds the server and PostgreSQL images once per test run (seconds when they are up to date). */
export function ensureK8sImages(): Promise<{ server: string; postgres: string }> {
  built ??= execFileAsync('bash', [join(K8S_DIR, 'build-images.sh'), 'server', 'postgres'], { cwd: resourcePath(), maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60_000 })
    .then(({ stdout }) => {
      const [server, postgres] = stdout.trim().split('\n').slice(-2);
      if (!server?.startsWith('slipway-server:') || !postgres?.startsWith('slipway-postgres:')) throw new Error(`k8s/build-images.sh printed ${stdout}`);
      return { server, postgres };
    }, (error: { stderr?: string; message: string }) => {
      throw new Error(`k8s/build-images.sh failed: ${(error.stderr ?? error.message).split('\n').slice(-30).join('\n')}`);
    });
  return built;
}

export interface TestInstall {
  /** A suffix unique to this run: every name (cluster-wide ones too) ends in `-<id>`. */
  id: string;
  namespace: string;
  /** The kustomization directory to `kubectl apply -k`. */
  dir: string;
  postgresPassword: string;
  /** Names after the suffix. */
  names: { server: string; postgres: string; serviceAccount: string };
}

/**
 * A kustomize overlay over k8s/ as a user would write one: its own namespace and name suffix (so runs
 * and other suites never meet), the images by tag with imagePullPolicy Never (nothing can be pulled
 * here), the Secret, and settings. The test cluster has no DNS, so DATABASE_URL names PostgreSQL by the
 * service environment variable Kubernetes gives every pod.
 */
export function writeTestOverlay(options: {
  id: string;
  images?: { server: string; postgres: string };
  settings?: Record<string, string>;
  oneNamespace?: boolean;
  secretKey: string;
  postgresPassword: string;
  /** More keys of the Secret (e.g. SLIPWAY_MODEL_API_KEY). */
  secrets?: Record<string, string>;
}): TestInstall {
  const { id } = options;
  const namespace = `slipway-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-k8s-overlay-'));
  const suffixed = (name: string) => `${name}-${id}`;
  const serviceHostVar = `${suffixed('postgres').toUpperCase().replace(/-/g, '_')}_SERVICE_HOST`;
  const tagOf = (ref: string) => ref.slice(ref.lastIndexOf(':') + 1);
  const pullNever = (kind: string, name: string, container: string) => ({
    patch: JSON.stringify({ apiVersion: 'apps/v1', kind, metadata: { name }, spec: { template: { spec: { containers: [{ name: container, imagePullPolicy: 'Never' }] } } } }),
  });
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(dir, K8S_DIR)],
    ...(options.oneNamespace ? { components: [relative(dir, join(K8S_DIR, 'one-namespace'))] } : {}),
    namespace,
    nameSuffix: `-${id}`,
    ...(options.images ? {
      images: [
        { name: 'slipway-server', newName: 'slipway-server', newTag: tagOf(options.images.server) },
        { name: 'slipway-postgres', newName: 'slipway-postgres', newTag: tagOf(options.images.postgres) },
      ],
    } : {}),
    secretGenerator: [{
      name: 'slipway',
      literals: [`SLIPWAY_SECRET_KEY=${options.secretKey}`, `POSTGRES_PASSWORD=${options.postgresPassword}`,
        ...Object.entries(options.secrets ?? {}).map(([k, v]) => `${k}=${v}`)],
    }],
    configMapGenerator: [{ name: 'slipway-server', behavior: 'merge', literals: Object.entries(options.settings ?? {}).map(([k, v]) => `${k}=${v}`) }],
    patches: [
      pullNever('Deployment', 'slipway-server', 'server'),
      pullNever('StatefulSet', 'postgres', 'postgres'),
      // $(VAR) expands in `value` only, not in values from a Secret.
      {
        patch: JSON.stringify({
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'slipway-server' },
          spec: { template: { spec: { containers: [{ name: 'server', env: [{ name: 'DATABASE_URL', valueFrom: null, value: `postgres://slipway:${options.postgresPassword}@$(${serviceHostVar}):5432/slipway` }] }] } } },
        }),
      },
    ],
  };
  writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify(kustomization, null, 2));
  return { id, namespace, dir, postgresPassword: options.postgresPassword, names: { server: suffixed('slipway-server'), postgres: suffixed('postgres'), serviceAccount: suffixed('slipway-server') } };
}
