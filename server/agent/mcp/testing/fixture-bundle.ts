import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const bundles = new Map<string, Promise<string>>();

/** A test program as one ES module for Node 24 with no node_modules (built once per run). */
function bundle(entry: string): Promise<string> {
  let built = bundles.get(entry);
  if (!built) {
    built = build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node22', write: false, logLevel: 'silent',
    }).then((result) => result.outputFiles[0]!.text);
    bundles.set(entry, built);
  }
  return built;
}

/** The stdio fixture MCP server (fixture-mcp-server.ts). */
export const fixtureServerSource = (): Promise<string> => bundle('./fixture-mcp-server.ts');
/** The streamable-HTTP fixture as a program listening on 127.0.0.1:$PORT (http-fixture-main.ts). */
export const httpFixtureSource = (): Promise<string> => bundle('./http-fixture-main.ts');

/** Where tests put it in the workspace, and the stdio server entry that runs it. */
export const FIXTURE_PATH = '.slipway/fixture-mcp.mjs';
export const fixtureServer = (env: Record<string, string> = {}) => ({ command: 'node', args: [FIXTURE_PATH], env });
