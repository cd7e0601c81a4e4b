import type { HandlersFor } from '../rpc/handler';
import { childEnv } from '../workspace/child-env';
import type { Workspace } from '../workspace/workspace';
import type { TerminalTable } from './terminal-table';

const ok = { ok: true as const };

export function ptyHandlers(ws: Workspace, table: TerminalTable): HandlersFor<'pty'> {
  return {
    'pty.open': async (params) => {
      const terminal = await table.open({
        command: params.command ?? ['bash', '-l'],
        cols: params.cols,
        rows: params.rows,
        cwd: await ws.resolveDirectory(params.cwd),
        env: childEnv({ ...ws.projectEnv, ...params.env }),
      });
      return terminal.info();
    },
    'pty.list': () => ({ terminals: table.list().map((terminal) => terminal.info()) }),
    'pty.input': ({ terminalId, data }) => {
      table.get(terminalId).write(data);
      return ok;
    },
    'pty.resize': ({ terminalId, cols, rows }) => {
      table.get(terminalId).resize(cols, rows);
      return ok;
    },
    'pty.close': ({ terminalId }) => {
      table.close(terminalId);
      return ok;
    },
    'pty.subscribe': ({ terminalId }, { stream }) => {
      const terminal = table.get(terminalId);
      if (!stream) throw new Error('pty.subscribe needs a stream');
      if (terminal.running) {
        const stop = terminal.listen({
          output: (data) => stream.send('pty.output', { terminalId, data }),
          exit: (status) => stream.send('pty.exit', { terminalId, ...status }),
        });
        table.attached(terminalId);
        stream.subscribe(`pty:${terminalId}`, stop);
      } else {
        stream.send('pty.exit', { terminalId, ...(terminal.status ?? { exitCode: null, signal: null }) });
      }
      return { ...terminal.info(), scrollback: terminal.scrollback.text() };
    },
    'pty.unsubscribe': ({ terminalId }, { stream }) => {
      stream?.unsubscribe(`pty:${terminalId}`);
      return ok;
    },
  };
}
