import { readFileSync } from 'node:fs';
import { availableParallelism, homedir, totalmem, userInfo } from 'node:os';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { EgressPolicy } from './net/egress-policy';
import { describeIssues } from '../protocol/errors';
import { AllowEntry } from './runtime/docker/network-allow';
import { DEFAULT_DATABASE_IMAGE } from './runtime/database-env';

/**
 * Sandbox limits from the machine: a sandbox never gets every core (the server and the database keep
 * one, and sandboxes also run with half the default CPU weight), nor more than a quarter of memory.
 */
const cores = availableParallelism();
const memoryMb = Math.floor(totalmem() / 2 ** 20);
export const machineLimits = {
  cpus: Math.max(0.5, Math.min(cores - 1, 4)),
  maxCpus: Math.max(0.5, cores - 1),
  memoryMb: Math.max(256, Math.min(2048, Math.floor(memoryMb / 4))),
  maxMemoryMb: Math.max(256, Math.min(16 * 1024, Math.floor(memoryMb / 2))),
};

const RateLimit = z.object({ limit: z.number().int().min(1), windowSeconds: z.number().int().min(1) });

const Cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 CIDR such as 10.0.0.0/8');
const Quantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'a Kubernetes quantity such as 5Gi');

/** SLIPWAY_RUNTIME=kubernetes: sandboxes as pods with volumes (server/runtime/kubernetes). */
const KubernetesConfig = z.object({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/).optional().describe('one fixed namespace for every sandbox; absent: one namespace per team'),
  namespacePrefix: z.string().regex(/^[a-z0-9][-a-z0-9]{0,20}$/).default('slipway-').describe('per-team namespaces are <prefix>team-<team id>; the warm pool lives in <prefix>pool'),
  reach: z.enum(['auto', 'pod-ip', 'port-forward']).default('auto').describe('how the server reaches daemons: pod IP inside the cluster, else port-forward through the API server'),
  storageClass: z.string().optional().describe('for the workspace and home claims; absent: the cluster default'),
  workspaceSize: Quantity.default('5Gi'),
  homeSize: Quantity.default('1Gi'),
  databaseSize: Quantity.default('1Gi').describe("a project database's claim"),
  requestFraction: z.number().gt(0).max(1).default(0.1).describe('requests = limits x this (limits are the team sandbox limits)'),
  quotaSandboxes: z.number().int().min(1).default(20).describe("a team namespace's ResourceQuota: this many sandboxes at the team's limits"),
  runtimeClassName: z.string().optional().describe('e.g. gvisor or kata'),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(z.object({
    key: z.string().optional(), operator: z.enum(['Exists', 'Equal']).optional(), value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(), tolerationSeconds: z.number().int().optional(),
  })).default([]),
  serverPodLabels: z.record(z.string(), z.string()).default({ 'app.kubernetes.io/name': 'slipway-server' }).describe('the only pods the NetworkPolicy lets reach sandboxes'),
  egressDeny: z.array(Cidr).default(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8'])
    .describe('sandboxes reach the internet except these (cluster, pod and service CIDRs, private ranges, metadata)'),
  egressAllow: z.array(Cidr).default([]).describe('extra destinations allowed even inside egressDeny'),
  readyTimeoutSeconds: z.number().int().min(5).default(120),
  allowPrivateTeamClusters: z.boolean().default(false).describe("let teams' own clusters (PUT /api/teams/:id/cluster) have loopback, private or link-local API server addresses"),
  teamClusterHostAllowList: z.array(z.string()).default([]).describe("API server host names (exact or *.suffix) and CIDRs teams' own clusters may use even though private"),
}).describe('the Kubernetes runtime');

export const ConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(7777),
  publicUrl: z.url().optional(),
  dataDir: z.string().default(defaultDataDir()),
  databaseUrl: z.string().optional(),
  embeddedPostgresPort: z.number().int().min(1).max(65535).default(54329),
  secretKey: z.string().optional().describe('base64 of 32 bytes; generated into the data directory when absent'),
  signup: z.enum(['open', 'invite']).default('invite'),
  accessTokenSeconds: z.number().int().min(2).default(15 * 60),
  refreshTokenDays: z.number().int().min(1).default(30),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  logFormat: z.enum(['auto', 'pretty', 'json']).default('auto').describe('auto: pretty and coloured on a terminal, JSON lines otherwise'),
  trustProxy: z.boolean().default(false),
  runtime: z.enum(['auto', 'docker', 'host', 'kubernetes']).default('auto'),
  kubernetes: KubernetesConfig.prefault({}),
  allowHostRuntime: z.boolean().default(false).describe('allow the unisolated host runtime on a non-loopback address'),
  sandboxImage: z.string().default('slipway-sandbox:latest'),
  buildImage: z.boolean().default(true).describe('build the default sandbox image (and project database image) on first start when missing'),
  databaseImage: z.string().default(DEFAULT_DATABASE_IMAGE).describe('the PostgreSQL image of projects\' databases (`npm run image` builds it)'),
  sandboxLimits: z.object({
    cpus: z.number().positive().default(machineLimits.cpus),
    memoryMb: z.number().int().min(128).default(machineLimits.memoryMb),
    pids: z.number().int().min(32).default(512),
  }).prefault({}),
  sandboxNetwork: z.object({
    firewall: z.boolean().default(true).describe('keep Docker sandboxes off the host, its LAN, private and link-local addresses'),
    allow: z.array(AllowEntry).max(200).default([]).describe('exceptions: "10.1.2.3/32:5432", "10.0.0.0/8", "[fd00::5]:5432"'),
  }).prefault({}),
  previewDomain: z.string().regex(/^[a-z0-9.-]+$/).default('localhost').describe('previews are served at <port>-<slug>.<previewDomain>'),
  sandboxLimitsMax: z.object({
    cpus: z.number().positive().default(machineLimits.maxCpus),
    memoryMb: z.number().int().min(128).default(machineLimits.maxMemoryMb),
    pids: z.number().int().min(32).default(4096),
  }).prefault({}).describe('the most a team admin may give their sandboxes'),
  warmPool: z.number().int().min(0).max(50).default(1),
  terminalKeepSeconds: z.number().int().min(1).max(7 * 86_400).default(3600).describe('how long a sandbox keeps a terminal nobody is attached to'),
  reconcile: z.object({
    intervalMs: z.number().int().min(50).default(1000),
    observeMs: z.number().int().min(100).default(5000),
    leaseSeconds: z.number().int().min(3).default(20),
    // 8: a slot mostly waits on a booting daemon; in bursts on the 2-core bench machine 8 beat 4 in two runs of three (npm run bench -- --scale).
    concurrency: z.number().int().min(1).max(64).default(8),
    probeEvery: z.number().int().min(1).max(100).default(6).describe('a healthy sandbox whose daemon is watched gets its health check (with a process-start probe) every this many observer passes, each pass taking an even share; its watch stream sees a death at once meanwhile'),
  }).prefault({}),
  limits: z.object({
    jsonBytes: z.number().int().min(1024).default(1024 * 1024),
    zipBytes: z.number().int().min(1024).default(50 * 1024 * 1024),
    zipEntries: z.number().int().min(1).default(20_000),
    unzippedBytes: z.number().int().min(1024).default(500 * 1024 * 1024),
    concurrentImports: z.number().int().min(1).default(2).describe('ZIP imports at once per server process; more get 429 with Retry-After'),
    wsMessageBytes: z.number().int().min(1024).default(1024 * 1024),
    fileBytes: z.number().int().min(1024).default(256 * 1024 * 1024),
  }).prefault({}),
  agent: z.object({
    model: z.object({
      kind: z.enum(['openai', 'anthropic']),
      model: z.string().min(1),
      baseUrl: z.url({ protocol: /^https?$/ }).optional(),
      apiKey: z.string().default(''),
      supportsImages: z.boolean().optional().describe('whether the model takes images (default: yes for OpenAI\'s and Anthropic\'s own APIs, no for other endpoints)'),
    }).nullable().optional().describe('the server-wide default model; absent: from SLIPWAY_MODEL_* / OPENAI_API_KEY / ANTHROPIC_API_KEY; null: none'),
    allowPrivateModelHosts: z.boolean().default(false).describe('let team model endpoints reach loopback, private and link-local addresses (a trusted single-user server)'),
    modelHostAllowList: z.array(z.string().refine((entry) => !entry.includes('/') || ipaddr.isValidCIDR(entry), 'a host name, *.suffix or a CIDR'))
      .default([]).describe('host names (or *.suffix) and CIDRs team model endpoints may reach although private'),
    maxSteps: z.number().int().min(1).max(1000).default(80),
    maxTokens: z.number().int().min(256).default(8192),
    contextTokens: z.number().int().min(2000).default(128_000),
    staleTurnSeconds: z.number().int().min(2).default(30),
    retry: z.object({
      maxAttempts: z.number().int().min(1).max(10).optional(),
      baseDelayMs: z.number().int().min(0).optional(),
      maxDelayMs: z.number().int().min(0).optional(),
    }).default({}),
  }).prefault({}),
  rateLimits: z.object({
    auth: RateLimit.default({ limit: 30, windowSeconds: 60 }),
    create: RateLimit.default({ limit: 60, windowSeconds: 3600 }),
    import: RateLimit.default({ limit: 20, windowSeconds: 3600 }),
    invite: RateLimit.default({ limit: 30, windowSeconds: 3600 }),
    prompt: RateLimit.default({ limit: 60, windowSeconds: 3600 }),
  }).prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
/** What a config file or a test may give: every key optional, nested ones too. */
export type ConfigInput = z.input<typeof ConfigSchema>;
export type RateLimitBucket = keyof Config['rateLimits'];

/** Root runs system-wide (/var/lib/slipway, readable by the postgres user); others per user. */
function defaultDataDir(): string {
  if (userInfo().uid === 0) return '/var/lib/slipway';
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'slipway');
}

const ENV: Record<string, { key: string; type: 'string' | 'number' | 'boolean' }> = {
  SLIPWAY_HOST: { key: 'host', type: 'string' },
  SLIPWAY_PORT: { key: 'port', type: 'number' },
  SLIPWAY_PUBLIC_URL: { key: 'publicUrl', type: 'string' },
  SLIPWAY_DATA_DIR: { key: 'dataDir', type: 'string' },
  DATABASE_URL: { key: 'databaseUrl', type: 'string' },
  SLIPWAY_DATABASE_URL: { key: 'databaseUrl', type: 'string' },
  SLIPWAY_PG_PORT: { key: 'embeddedPostgresPort', type: 'number' },
  SLIPWAY_SECRET_KEY: { key: 'secretKey', type: 'string' },
  SLIPWAY_SIGNUP: { key: 'signup', type: 'string' },
  SLIPWAY_ACCESS_TOKEN_SECONDS: { key: 'accessTokenSeconds', type: 'number' },
  SLIPWAY_REFRESH_TOKEN_DAYS: { key: 'refreshTokenDays', type: 'number' },
  SLIPWAY_LOG_LEVEL: { key: 'logLevel', type: 'string' },
  SLIPWAY_LOG_FORMAT: { key: 'logFormat', type: 'string' },
  SLIPWAY_TRUST_PROXY: { key: 'trustProxy', type: 'boolean' },
  SLIPWAY_RUNTIME: { key: 'runtime', type: 'string' },
  SLIPWAY_K8S_NAMESPACE: { key: 'kubernetes.namespace', type: 'string' },
  SLIPWAY_K8S_REACH: { key: 'kubernetes.reach', type: 'string' },
  SLIPWAY_K8S_STORAGE_CLASS: { key: 'kubernetes.storageClass', type: 'string' },
  SLIPWAY_K8S_RUNTIME_CLASS: { key: 'kubernetes.runtimeClassName', type: 'string' },
  SLIPWAY_K8S_ALLOW_PRIVATE_TEAM_CLUSTERS: { key: 'kubernetes.allowPrivateTeamClusters', type: 'boolean' },
  SLIPWAY_ALLOW_HOST_RUNTIME: { key: 'allowHostRuntime', type: 'boolean' },
  SLIPWAY_SANDBOX_IMAGE: { key: 'sandboxImage', type: 'string' },
  SLIPWAY_BUILD_IMAGE: { key: 'buildImage', type: 'boolean' },
  SLIPWAY_DATABASE_IMAGE: { key: 'databaseImage', type: 'string' },
  SLIPWAY_WARM_POOL: { key: 'warmPool', type: 'number' },
  SLIPWAY_TERMINAL_KEEP_SECONDS: { key: 'terminalKeepSeconds', type: 'number' },
  SLIPWAY_PREVIEW_DOMAIN: { key: 'previewDomain', type: 'string' },
};

/**
 * Configuration = defaults < config file (SLIPWAY_CONFIG, JSON) < environment variables.
 * Rate limits come from the file or from SLIPWAY_RATE_LIMIT_<BUCKET>=N/SECONDS.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): Config {
  const raw: Record<string, unknown> = env.SLIPWAY_CONFIG ? readConfigFile(env.SLIPWAY_CONFIG) : {};
  for (const [name, { key, type }] of Object.entries(ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = type === 'number' ? Number(value) : type === 'boolean' ? /^(1|true|yes)$/i.test(value) : value;
    const [outer, inner] = key.split('.') as [string, string | undefined];
    if (inner) raw[outer] = { ...(raw[outer] as Record<string, unknown> | undefined), [inner]: parsed };
    else raw[outer] = parsed;
  }
  const rateLimits = { ...(raw.rateLimits as Record<string, unknown> | undefined) };
  for (const [name, value] of Object.entries(env)) {
    const match = /^SLIPWAY_RATE_LIMIT_([A-Z]+)$/.exec(name);
    const parts = value && /^(\d+)\/(\d+)$/.exec(value);
    if (match?.[1] && parts) rateLimits[match[1].toLowerCase()] = { limit: Number(parts[1]), windowSeconds: Number(parts[2]) };
  }
  raw.rateLimits = rateLimits;
  const agent = { ...(raw.agent as Record<string, unknown> | undefined) };
  if (env.SLIPWAY_ALLOW_PRIVATE_MODEL_HOSTS) agent.allowPrivateModelHosts = /^(1|true|yes)$/i.test(env.SLIPWAY_ALLOW_PRIVATE_MODEL_HOSTS);
  if (env.SLIPWAY_MODEL_HOST_ALLOWLIST) agent.modelHostAllowList = env.SLIPWAY_MODEL_HOST_ALLOWLIST.split(',').map((h) => h.trim()).filter(Boolean);
  raw.agent = agent;
  if (env.SLIPWAY_K8S_TEAM_CLUSTER_HOST_ALLOWLIST) {
    raw.kubernetes = { ...(raw.kubernetes as Record<string, unknown> | undefined), teamClusterHostAllowList: env.SLIPWAY_K8S_TEAM_CLUSTER_HOST_ALLOWLIST.split(',').map((h) => h.trim()).filter(Boolean) };
  }
  const parsed = ConfigSchema.safeParse({ ...raw, ...overrides });
  if (!parsed.success) throw new Error(`Invalid configuration: ${describeIssues(parsed.error, 10)}`);
  return parsed.data;
}

function readConfigFile(path: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new Error(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
}

/** Where team-set model endpoints may connect (the server's own default model is not limited). */
export const modelEgressPolicy = (config: Config): EgressPolicy =>
  ({ allowPrivate: config.agent.allowPrivateModelHosts, allow: config.agent.modelHostAllowList });

/** Where teams' own clusters' API servers may be (the server's own cluster is not limited). */
export const teamClusterEgressPolicy = (config: Config): EgressPolicy =>
  ({ allowPrivate: config.kubernetes.allowPrivateTeamClusters, allow: config.kubernetes.teamClusterHostAllowList });

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

export const publicUrl = (config: Config): string =>
  (config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`).replace(/\/$/, '');
