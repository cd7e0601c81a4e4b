import type { HandlersFor } from '../rpc/handler';
import type { Workspace } from '../workspace/workspace';
import { describing } from '../rpc/daemon-error';
import { describeEntry } from './entry';
import { listDirectory } from './list-directory';
import { copy, makeDirectory, move, remove } from './tree-operations';

export function fsHandlers(ws: Workspace): HandlersFor<'fs'> {
  return {
    'fs.stat': async ({ path }) => {
      const target = await ws.resolve(path);
      return describing(target.rel, () => describeEntry(ws, target.rel, target.real));
    },
    'fs.list': async (params) =>
      listDirectory(ws, await ws.resolve(params.path), {
        recursive: params.recursive,
        maxDepth: params.recursive ? params.maxDepth : 1,
        limit: params.limit,
        gitignore: params.gitignore ?? params.recursive,
      }),
    'fs.mkdir': async ({ path, recursive }) => makeDirectory(ws, await ws.resolve(path), recursive),
    'fs.rename': async ({ from, to, overwrite }) => move(ws, await ws.resolveEntry(from), await ws.resolveEntry(to), overwrite),
    'fs.copy': async ({ from, to, overwrite, recursive }) => copy(ws, await ws.resolveEntry(from), await ws.resolve(to), { overwrite, recursive }),
    'fs.delete': async ({ path, recursive }) => {
      await remove(await ws.resolveEntry(path), recursive);
      return { ok: true as const };
    },
  };
}
