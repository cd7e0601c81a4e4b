import { z } from 'zod';
import { Uuid } from './common';
import * as F from './daemon/fs';
import * as T from './daemon/pty';
import * as W from './daemon/watch';

/**
 * A project's workspace and terminals over the extension <-> server WebSocket. The server checks
 * membership, then forwards to the project's sandbox daemon. File bytes travel over HTTP instead
 * (`files.read` / `files.write` in the REST map), so large files are not base64'd through JSON.
 */
const inProject = <S extends z.ZodRawShape>(shape: S) => z.object({ projectId: Uuid, ...shape });
const ok = z.object({ ok: z.literal(true) });

export const workspaceWsMethods = {
  'workspace.stat': { params: inProject(F.StatParams.shape), result: F.Entry },
  'workspace.list': { params: inProject(F.ListParams.shape), result: F.ListResult },
  'workspace.mkdir': { params: inProject(F.MkdirParams.shape), result: F.Entry },
  'workspace.rename': { params: inProject(F.MoveParams.shape), result: F.Entry },
  'workspace.copy': { params: inProject(F.CopyParams.shape), result: F.Entry },
  'workspace.delete': { params: inProject(F.DeleteParams.shape), result: ok },
  /** Starts `workspace.changes` events; with the last epoch/cursor seen, replays what was missed. */
  'workspace.watch': { params: inProject(W.SubscribeParams.shape), result: W.SubscribeResult },
  'workspace.unwatch': { params: inProject({}), result: ok },

  'terminal.open': { params: inProject(T.OpenParams.shape), result: T.TerminalInfo },
  'terminal.list': { params: inProject({}), result: z.object({ terminals: z.array(T.TerminalInfo) }) },
  /** Answers the scrollback, then `terminal.output` events: how a client reconnects to a terminal. */
  'terminal.attach': { params: inProject(T.TerminalParams.shape), result: T.SubscribeResult },
  'terminal.detach': { params: inProject(T.TerminalParams.shape), result: ok },
  'terminal.input': { params: inProject(T.InputParams.shape), result: ok },
  'terminal.resize': { params: inProject(T.ResizeParams.shape), result: ok },
  'terminal.close': { params: inProject(T.TerminalParams.shape), result: ok },
} as const;

export const workspaceWsEvents = {
  'workspace.changes': W.BatchEvent.extend({ projectId: Uuid }),
  'workspace.resync': W.ResyncEvent.extend({ projectId: Uuid }),
  'terminal.output': T.OutputEvent.extend({ projectId: Uuid }),
  'terminal.exit': T.ExitEvent.extend({ projectId: Uuid }),
} as const;
