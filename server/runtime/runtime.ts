import type { Socket } from 'node:net';
import type { Dial } from '../daemon-client/dial';
import { AppError } from '../errors';

export type { Dial };

/**
 * Opens a connection to one sandbox's address, routed by the sandbox (its recorded cluster and its
 * own pod), never by the address alone: pod addresses of different clusters may be the same.
 */
export type SandboxDial = (sandboxId: string, host: string, port: number) => Promise<Socket>;

/**
 * A runtime provisions sandboxes and reports what actually exists. It knows nothing of projects'
 * desired state: the reconciler decides, the runtime acts, idempotently. A sandbox is addressed by
 * its id (the `sandboxes` row); its workspace survives stop/start and container replacement.
 * Docker (containers + named volumes), host (daemon child processes + directories) and Kubernetes
 * (a pod + a PVC, addressed by pod IP) all fit this shape.
 */
export type RuntimeKind = 'docker' | 'host' | 'kubernetes';

export interface SandboxLimits {
  /** CPU cores (fractions allowed). */
  cpus: number;
  memoryMb: number;
  pids: number;
}

export interface SandboxSpec {
  id: string;
  image: string;
  /** The daemon's bearer token (derived from the server key and the sandbox id). */
  token: string;
  limits: SandboxLimits;
  /** Installation id, project and team: written as labels so orphans can be recognised. */
  labels: { installation: string; project?: string; team?: string };
  /** How long the daemon keeps a terminal nobody is attached to (a window reload), in seconds. */
  terminalKeepSeconds?: number;
  /** The project's PostgreSQL beside the sandbox (absent: none). See database-env.ts for how the sandbox reaches it. */
  database?: DatabaseSpec;
}

/**
 * A project's PostgreSQL: user and database `app`, listening on 127.0.0.1:5432 inside the sandbox's
 * own network namespace only (Docker: a second container joined to the sandbox's; Kubernetes: a
 * second container in its pod). Its data lives on its own volume, which survives stop/start and
 * container replacement and goes with `remove`/`removeDatabase`.
 */
export interface DatabaseSpec {
  image: string;
  /** The `app` user's password (set when the database is first created; the same one every start). */
  password: string;
  limits: { cpus: number; memoryMb: number };
}

/** The daemon settings a spec carries, as the environment variables the daemon reads (sandbox-image/daemon/config.ts). */
export function daemonSettingsEnv(spec: SandboxSpec): Record<string, string> {
  return spec.terminalKeepSeconds ? { SLIPWAY_DETACHED_TERMINAL_SECONDS: String(spec.terminalKeepSeconds) } : {};
}

export type ActualState = 'running' | 'stopped' | 'missing';

export interface SandboxStatus {
  id: string;
  state: ActualState;
  /** Exit code when stopped on its own. */
  exitCode?: number;
  /** The database's container, when the runtime knows of one for this sandbox (absent: none). */
  database?: ActualState;
}

/** What exists of an installation: sandboxes, workspaces (ids with any volume left) and databases (ids with a database container). */
export interface RuntimeListing {
  sandboxes: SandboxStatus[];
  workspaces: string[];
  /** Ids that have a database container, with or without their sandbox's (orphan GC removes them with `remove`). */
  databases?: string[];
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /**
   * Creates what is missing (workspace, sandbox, and the database when `spec.database` is set) and
   * starts it; returns the daemon's base URL. A runtime that cannot isolate a database (host) throws a
   * SandboxFailure for a spec with one. With a database, resolves once it accepts connections
   * (a database that cannot start rejects with a SandboxFailure saying why, as diagnoseDatabase does).
   */
  start(spec: SandboxSpec): Promise<{ address: string }>;
  /** Stops the sandbox and its database, keeping their volumes. Nothing to stop is fine. */
  stop(id: string): Promise<void>;
  /** Removes the sandbox, its database and all their volumes. Nothing to remove is fine. */
  remove(id: string): Promise<void>;
  /** Removes only the database and its volume (the user turned it off); the sandbox and workspace stay. */
  removeDatabase?(id: string): Promise<void>;
  inspect(id: string): Promise<SandboxStatus>;
  /** Every sandbox (and every workspace and database) of this installation that exists, running or not. */
  list(installation: string): Promise<RuntimeListing>;
  /** Why a sandbox is not running: exit code, last log lines, missing image… for people to read. */
  diagnose(id: string): Promise<string>;
  /** Why a sandbox's database is not running, in the same plain words. */
  diagnoseDatabase?(id: string): Promise<string>;
  /** Whether the image exists (a runtime without images says true). */
  hasImage(image: string): Promise<boolean>;
  /** Sets up what every sandbox relies on (Docker: the network and its firewall), at server start. */
  prepare?(image: string): Promise<void>;
  /** A runtime that watches its sandboxes calls this when one dies or goes away, so healing starts at once. */
  onChange?(listener: () => void): () => void;
  /** A warm-pool sandbox claimed by a project takes its labels. */
  adopt?(id: string, labels: SandboxSpec['labels']): Promise<void>;
  /** Set when sandbox addresses are not routable from this process: connections go through this instead. */
  readonly dial?: SandboxDial;
  /** Releases watches and connections (the sandboxes keep running). */
  close?(): Promise<void>;
}

/** What a runtime that cannot run a project database throws for a spec with one (not retryable). */
export function noDatabaseSupport(kind: RuntimeKind): SandboxFailure {
  return new SandboxFailure(
    kind === 'host'
      ? 'the host runtime does not isolate projects, so it cannot run a project database: use the Docker or Kubernetes runtime'
      : `the ${kind} runtime cannot run a project database`,
    false,
  );
}

/** Raised for failures whose message is meant for the user (stored as the project's status message). */
export class SandboxFailure extends AppError {
  constructor(message: string, readonly retryable = true) {
    super('unavailable', message, { reason: 'sandbox_failed', expose: true });
    this.name = 'SandboxFailure';
  }
}
