import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let bundled: Promise<string> | undefined;

/** The fixture MCP server as one CommonJS file for Node 24 with no node_modules (built once per run). */
export function fixtureServerSource(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./fixture-mcp-server.ts', import.meta.url))],
    bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node22', write: false, logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

/** Where tests put it in the workspace, and the stdio server entry that runs it. */
export const FIXTURE_PATH = '.slipway/fixture-mcp.mjs';
export const fixtureServer = (env: Record<string, string> = {}) => ({ command: 'node', args: [FIXTURE_PATH], env });
