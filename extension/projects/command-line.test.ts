import assert from 'node:assert/strict';
import { parseCommandLine } from './command-line';

describe('an MCP server\'s command line as typed', () => {
  it('splits on spaces, and keeps quoted or escaped spaces inside an argument', () => {
    assert.deepEqual(parseCommandLine('  npx -y @modelcontextprotocol/server-memory '), { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] });
    assert.deepEqual(parseCommandLine('node "my server.js" --root \'/workspace/a b\' c\\ d'), { command: 'node', args: ['my server.js', '--root', '/workspace/a b', 'c d'] });
  });

  it('keeps $NAME as written: no shell runs the command', () => {
    assert.deepEqual(parseCommandLine('server --token $TOKEN'), { command: 'server', args: ['--token', '$TOKEN'] });
  });

  it('refuses what only a shell would mean, and an empty line', () => {
    for (const line of ['cat a | grep b', 'server > log', 'rm *.js', 'a && b', 'server # note']) assert.ok('error' in parseCommandLine(line), line);
    assert.deepEqual(parseCommandLine('   '), { error: 'A command' });
  });
});
