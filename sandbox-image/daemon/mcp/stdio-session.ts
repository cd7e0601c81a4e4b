import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { MAX_MCP_MESSAGE_CHARS } from '../../../protocol/daemon/mcp';
import { belowDaemon } from '../exec/below-daemon';
import { DaemonError, isErrno } from '../rpc/daemon-error';
import { LineSplitter } from './line-splitter';
import type { McpSession, SessionEvents } from './mcp-session';

const STDERR_TAIL_CHARS = 4096;

export interface StdioSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The workspace root (real path): where the server runs. */
  cwd: string;
}

/**
 * A stdio MCP server: a process in its own group (so close reaches what it starts), below the
 * daemon's priority, one JSON-RPC message per line on stdin/stdout; stderr is kept as a short
 * tail for when it dies.
 */
export async function startStdioSession(spec: StdioSpec, events: SessionEvents): Promise<McpSession> {
  const [file, args] = await belowDaemon(spec.command, spec.args, spec.cwd, spec.env.PATH);
  const child = spawn(file, args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    await once(child, 'spawn');
  } catch (error) {
    if (isErrno(error, 'EACCES')) throw new DaemonError('forbidden', `not executable: ${spec.command}`, 'permission_denied');
    throw error;
  }
  const pid = child.pid ?? null;
  let stderr = '';
  let closing = false;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (pid) process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const decoder = new StringDecoder('utf8');
  const lines = new LineSplitter(MAX_MCP_MESSAGE_CHARS, (line) => events.message(line), () => {
    stderr = `${stderr}\n[slipway: a message over ${MAX_MCP_MESSAGE_CHARS} characters was dropped]`.slice(-STDERR_TAIL_CHARS);
  });
  child.stdout.on('data', (data: Buffer) => lines.push(decoder.write(data)));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (data: string) => { stderr = (stderr + data).slice(-STDERR_TAIL_CHARS); });
  child.stdin.on('error', () => undefined);
  child.once('exit', (exitCode, signal) => {
    killGroup('SIGKILL');
    if (closing) return;
    const status = signal ? `killed by ${signal}` : `exited with code ${exitCode}`;
    // Let the last of stderr arrive before reporting.
    setTimeout(() => events.closed({ reason: `the server ${status}`, exitCode, stderr: stderr.trim() }), 50).unref();
  });

  return {
    pid,
    send: async (message) => {
      if (child.exitCode !== null || child.signalCode !== null) throw new DaemonError('conflict', 'the MCP server has exited');
      if (!child.stdin.write(`${message}\n`)) await once(child.stdin, 'drain');
    },
    close: () => {
      closing = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 1000).unref();
    },
  };
}
