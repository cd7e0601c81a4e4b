// In-extension-host suite for desktop VS Code through @vscode/test-cli (`npx vscode-test`). It downloads
// a VS Code build, so it cannot run on the project's machines; there `npm run test:vscode` runs the same
// suite (extension/test/suite/in-host.suite.ts) inside code-server, plus the UI tests.
import { defineConfig } from '@vscode/test-cli';
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['extension/test/suite/in-host.suite.ts'], outfile: 'dist/test/in-host.suite.cjs',
  bundle: true, format: 'cjs', platform: 'node', target: 'node20', external: ['vscode'], logLevel: 'warning',
});

export default defineConfig({
  files: 'dist/test/in-host.suite.cjs',
  extensionDevelopmentPath: '.',
  mocha: { ui: 'bdd', timeout: 20_000 },
});
