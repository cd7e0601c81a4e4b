import { z } from 'zod';
import { Ok } from '../common';
import * as Env from './env';
import * as E from './exec';
import * as F from './fs';
import * as G from './git';
import * as M from './mcp';
import * as Pt from './ports';
import * as T from './pty';
import * as W from './watch';

/** `stream: true` methods only make sense on the /stream WebSocket (they start event delivery). */
interface MethodDef {
  params: z.ZodType;
  result: z.ZodType;
  stream?: true;
}
const method = <const T extends MethodDef>(def: T): T => def;
const none = z.object({});

export const DAEMON_PROTOCOL_VERSION = 1;

/**
 * The server <-> sandbox daemon calls: `POST /rpc/<method>` with the params as the JSON body, or a
 * `{id, method, params}` message on the `/stream` WebSocket. Raw file bytes use /files (see files.ts).
 */
export const daemonMethods = {
  health: method({
    params: z.object({ probe: z.boolean().optional().describe('also start a process, to tell whether the sandbox still can') }),
    result: z.object({
      ok: z.literal(true), protocol: z.number().int(), uptimeMs: z.number(), pid: z.number().int(),
      processes: z.object({ ok: z.boolean(), error: z.string().optional() }).optional().describe('with probe: whether a process could be started'),
    }),
  }),

  'fs.stat': method({ params: F.StatParams, result: F.Entry }),
  'fs.list': method({ params: F.ListParams, result: F.ListResult }),
  'fs.mkdir': method({ params: F.MkdirParams, result: F.Entry }),
  'fs.rename': method({ params: F.MoveParams, result: F.Entry }),
  'fs.copy': method({ params: F.CopyParams, result: F.Entry }),
  'fs.delete': method({ params: F.DeleteParams, result: Ok }),

  'exec.run': method({ params: E.RunParams, result: E.RunResult }),
  'exec.start': method({ params: E.StartParams, result: E.StartResult }),
  'exec.list': method({ params: none, result: z.object({ processes: z.array(E.ProcessInfo) }) }),
  'exec.log': method({ params: E.LogParams, result: E.LogResult }),
  'exec.kill': method({ params: E.KillParams, result: Ok }),
  'exec.subscribe': method({ params: E.SubscribeParams, result: E.SubscribeResult, stream: true }),
  'exec.unsubscribe': method({ params: E.ProcessParams, result: Ok, stream: true }),

  'pty.open': method({ params: T.OpenParams, result: T.TerminalInfo }),
  'pty.list': method({ params: none, result: z.object({ terminals: z.array(T.TerminalInfo) }) }),
  'pty.input': method({ params: T.InputParams, result: Ok }),
  'pty.resize': method({ params: T.ResizeParams, result: Ok }),
  'pty.close': method({ params: T.TerminalParams, result: Ok }),
  'pty.subscribe': method({ params: T.TerminalParams, result: T.SubscribeResult, stream: true }),
  'pty.unsubscribe': method({ params: T.TerminalParams, result: Ok, stream: true }),

  'watch.subscribe': method({ params: W.SubscribeParams, result: W.SubscribeResult, stream: true }),
  'watch.unsubscribe': method({ params: none, result: Ok, stream: true }),

  'ports.list': method({ params: none, result: Pt.ListResult }),

  'env.set': method({ params: Env.SetParams, result: Ok }),

  'mcp.open': method({ params: M.OpenParams, result: M.OpenResult, stream: true }),
  'mcp.send': method({ params: M.SendParams, result: Ok, stream: true }),
  'mcp.close': method({ params: M.SessionParams, result: Ok, stream: true }),

  'git.status': method({ params: none, result: G.StatusResult }),
  'git.show': method({ params: G.ShowParams, result: G.ShowResult }),
  'git.diff': method({ params: G.DiffParams, result: G.DiffResult }),
  'git.stage': method({ params: G.PathsParams, result: Ok }),
  'git.unstage': method({ params: G.PathsParams, result: Ok }),
  'git.discard': method({ params: G.PathsParams, result: Ok }),
  'git.commit': method({ params: G.CommitParams, result: G.CommitResult }),
  'git.branches': method({ params: none, result: G.BranchesResult }),
  'git.switch': method({ params: G.SwitchParams, result: Ok }),
  'git.fetch': method({ params: G.FetchParams, result: G.NetworkResult }),
  'git.pull': method({ params: G.PullParams, result: G.NetworkResult }),
  'git.push': method({ params: G.PushParams, result: G.NetworkResult }),
  'git.clone': method({ params: G.CloneParams, result: G.NetworkResult }),
} as const;

export type DaemonMethods = typeof daemonMethods;
export type DaemonMethod = keyof DaemonMethods;
/** What a caller sends (defaults may be left out). */
export type DaemonParamsIn<M extends DaemonMethod> = z.input<DaemonMethods[M]['params']>;
/** What a handler receives, defaults filled in. */
export type DaemonParams<M extends DaemonMethod> = z.output<DaemonMethods[M]['params']>;
export type DaemonResult<M extends DaemonMethod> = z.output<DaemonMethods[M]['result']>;

export const isDaemonMethod = (name: string): name is DaemonMethod => Object.hasOwn(daemonMethods, name);
export const isStreamOnly = (name: DaemonMethod): boolean => 'stream' in daemonMethods[name];
