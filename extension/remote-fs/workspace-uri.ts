/**
 * Where a project's files live in VS Code: `slipway://<projectId>/<path in the workspace>`.
 * The authority is the project's id (stable across renames; the Explorer shows the project's name
 * as the folder name), the path is the workspace-relative path with a leading slash, so
 * `slipway://<id>/` is the workspace root and `slipway://<id>/src/app.ts` is `src/app.ts`.
 */
export const SLIPWAY_SCHEME = 'slipway';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The project a `slipway:` URI's authority names; throws for anything else. */
export function projectIdOf(authority: string): string {
  if (!UUID.test(authority)) throw new Error(`not a Slipway project address: "${authority}"`);
  return authority.toLowerCase();
}

/** A URI path (`/src/app.ts`, `/`) as the daemon's workspace path (`src/app.ts`, `.`). */
export function workspacePathOf(uriPath: string): string {
  const parts = uriPath.split('/').filter((part) => part !== '' && part !== '.');
  return parts.length ? parts.join('/') : '.';
}

/** A workspace path from the daemon (`src/app.ts`, `.`, `./x`) as a URI path (`/src/app.ts`, `/`). */
export function uriPathOf(workspacePath: string): string {
  return '/' + workspacePath.split('/').filter((part) => part !== '' && part !== '.').join('/');
}

/** The parent of a workspace path (`.` for top-level entries and the root). */
export function parentOf(workspacePath: string): string {
  const index = workspacePath.lastIndexOf('/');
  return index <= 0 ? '.' : workspacePath.slice(0, index);
}

/** Whether `path` is `under` itself or inside it (workspace paths). */
export function isWithin(path: string, under: string): boolean {
  return under === '.' || path === under || path.startsWith(`${under}/`);
}
