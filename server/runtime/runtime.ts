import type { Dial } from '../daemon-client/dial';
import { AppError } from '../errors';

export type { Dial };

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
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /** Creates what is missing (workspace, sandbox) and starts it; returns the daemon's base URL. */
  start(spec: SandboxSpec): Promise<{ address: string }>;
  /** Stops the sandbox, keeping its workspace. Nothing to stop is fine. */
  stop(id: string): Promise<void>;
  /** Removes the sandbox and its workspace. Nothing to remove is fine. */
  remove(id: string): Promise<void>;
  inspect(id: string): Promise<SandboxStatus>;
  /** Every sandbox (and every workspace) of this installation that exists, running or not. */
  list(installation: string): Promise<{ sandboxes: SandboxStatus[]; workspaces: string[] }>;
  /** Why a sandbox is not running: exit code, last log lines, missing image… for people to read. */
  diagnose(id: string): Promise<string>;
  /** Whether the image exists (a runtime without images says true). */
  hasImage(image: string): Promise<boolean>;
  /** Sets up what every sandbox relies on (Docker: the network and its firewall), at server start. */
  prepare?(image: string): Promise<void>;
  /** A runtime that watches its sandboxes calls this when one dies or goes away, so healing starts at once. */
  onChange?(listener: () => void): () => void;
  /** A warm-pool sandbox claimed by a project takes its labels. */
  adopt?(id: string, labels: SandboxSpec['labels']): Promise<void>;
  /** Set when sandbox addresses are not routable from this process: connections go through this instead. */
  readonly dial?: Dial;
  /** Releases watches and connections (the sandboxes keep running). */
  close?(): Promise<void>;
}

/** Raised for failures whose message is meant for the user (stored as the project's status message). */
export class SandboxFailure extends AppError {
  constructor(message: string, readonly retryable = true) {
    super('unavailable', message, { reason: 'sandbox_failed', expose: true });
    this.name = 'SandboxFailure';
  }
}
