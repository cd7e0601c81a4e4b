import type { LogChunk } from './process-log';
import type { HandlersFor } from '../rpc/handler';
import type { Workspace } from '../workspace/workspace';
import { childEnv } from '../workspace/child-env';
import type { ProcessTable } from './process-table';
import { runToCompletion } from './run-to-completion';

const wire = (chunk: LogChunk) => ({ stream: chunk.stream, offset: chunk.offset, data: chunk.data.toString('utf8') });

export function execHandlers(ws: Workspace, table: ProcessTable): HandlersFor<'exec'> {
  return {
    'exec.run': async (params) => {
      const proc = await table.start({
        command: params.command,
        cwd: await ws.resolveDirectory(params.cwd),
        env: childEnv({ ...ws.projectEnv, ...params.env }),
        timeoutMs: params.timeoutMs,
        stdin: params.stdin,
      });
      return runToCompletion(proc, params.maxOutputBytes);
    },
    'exec.start': async (params) => {
      const proc = await table.start({
        command: params.command,
        cwd: await ws.resolveDirectory(params.cwd),
        env: childEnv({ ...ws.projectEnv, ...params.env }),
        timeoutMs: params.timeoutMs,
        label: params.label,
      });
      return { processId: proc.request.id, pid: proc.pid };
    },
    'exec.list': () => ({ processes: table.list() }),
    'exec.log': ({ processId, offset, limit }) => {
      const proc = table.get(processId);
      const read = proc.log.read(offset ?? proc.log.tailOffset(limit), limit);
      return {
        chunks: read.chunks.map(wire),
        offset: read.offset,
        nextOffset: read.nextOffset,
        running: proc.running,
        exitCode: proc.status?.exitCode ?? null,
        signal: proc.status?.signal ?? null,
      };
    },
    'exec.kill': ({ processId, signal }) => {
      table.get(processId).kill(signal);
      return { ok: true as const };
    },
    'exec.subscribe': ({ processId, offset }, { stream }) => {
      const proc = table.get(processId);
      if (!stream) throw new Error('exec.subscribe needs a stream');
      const backlog = proc.log.read(offset, Number.MAX_SAFE_INTEGER);
      for (const chunk of backlog.chunks) stream.send('exec.output', { processId, ...wire(chunk) });
      if (!proc.running) {
        stream.send('exec.exit', { processId, exitCode: proc.status?.exitCode ?? null, signal: proc.status?.signal ?? null });
        return { processId, running: false };
      }
      const stop = proc.listen({
        output: (chunk) => stream.send('exec.output', { processId, ...wire(chunk) }),
        exit: (status) => stream.send('exec.exit', { processId, ...status }),
      });
      stream.subscribe(`exec:${processId}`, stop);
      return { processId, running: true };
    },
    'exec.unsubscribe': ({ processId }, { stream }) => {
      stream?.unsubscribe(`exec:${processId}`);
      return { ok: true as const };
    },
  };
}
