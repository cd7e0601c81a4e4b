import type { ProcessInfo } from '../../../protocol/daemon/exec';
import { DaemonError } from '../rpc/daemon-error';
import type { SpawnRequest } from './managed-process';
import { ManagedProcess } from './managed-process';

export interface ProcessTableOptions {
  /** Bytes of output kept per process. */
  logCapacity: number;
  /** Finished processes kept for `exec.log`; the oldest go first. */
  keepFinished: number;
}

/** Every process started through exec (run or start), by id, while running and a while after. */
export class ProcessTable {
  private readonly processes = new Map<string, ManagedProcess>();
  private sequence = 0;

  constructor(private readonly options: ProcessTableOptions = { logCapacity: 1024 * 1024, keepFinished: 32 }) {}

  async start(request: Omit<SpawnRequest, 'id' | 'logCapacity'>): Promise<ManagedProcess> {
    const id = `proc_${++this.sequence}`;
    const proc = await ManagedProcess.spawn({ ...request, id, logCapacity: this.options.logCapacity });
    this.processes.set(id, proc);
    void proc.finished.then(() => this.prune());
    return proc;
  }

  get(id: string): ManagedProcess {
    const proc = this.processes.get(id);
    if (!proc) throw new DaemonError('not_found', `no such process: ${id}`, 'not_found');
    return proc;
  }

  list(): ProcessInfo[] {
    return [...this.processes.values()].map((proc) => proc.info());
  }

  /** Kills every running process group (daemon shutdown). */
  killAll(): void {
    for (const proc of this.processes.values()) if (proc.running) proc.kill('SIGKILL');
  }

  private prune(): void {
    const finished = [...this.processes.values()].filter((proc) => !proc.running);
    for (const proc of finished.slice(0, Math.max(0, finished.length - this.options.keepFinished))) {
      this.processes.delete(proc.request.id);
    }
  }
}
