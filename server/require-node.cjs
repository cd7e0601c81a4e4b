// Runs before anything else in `npm start` and `npm run bench`, on whatever Node is on PATH: a Node
// too old for the server gets one clear sentence and a non-zero exit, not a stack trace from deep
// inside a dependency. Plain CommonJS on purpose, so that it parses on any Node.
'use strict';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `Slipway needs Node.js 22.19 or newer (24 LTS recommended); this is Node ${process.versions.node}. ` +
      'Install Node 24 and run the command again (see "Quick start" in README.md).\n',
  );
  process.exit(1);
}
