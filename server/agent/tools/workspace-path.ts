import { ToolFailure } from './tool';

/**
 * The model's idea of a path, made workspace-relative: `/workspace/src/a.ts`, `./src/a.ts` and
 * `src/a.ts` are the same file. The daemon refuses anything outside the workspace anyway.
 */
export function workspacePath(input: string): string {
  let path = input.trim();
  if (path === '/workspace' || path === '') return '.';
  if (path.startsWith('/workspace/')) path = path.slice('/workspace/'.length);
  path = path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (path.startsWith('/')) throw new ToolFailure(`"${input}" is outside the workspace; use a path relative to the workspace root, like src/app.ts`);
  return path || '.';
}
