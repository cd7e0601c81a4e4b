import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

/**
 * The project's own stdio MCP server for tests, written with the SDK's server side and bundled
 * into one file (fixture-bundle.ts) that the sandbox's Node runs without node_modules.
 * FIXTURE_FAIL_AT_START=1 makes it die at once with a message on stderr (a crashing server).
 */
if (process.env.FIXTURE_FAIL_AT_START === '1') {
  process.stderr.write('fixture: cannot reach the database (FIXTURE_FAIL_AT_START)\n');
  process.exit(3);
}

const server = new McpServer({ name: 'slipway-fixture', version: '1.0.0' });

server.registerTool('echo', {
  description: 'Echoes the text back, with where the server runs.',
  inputSchema: { text: z.string().max(1000) },
  annotations: { readOnlyHint: true },
}, ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text} (pid ${process.pid}, cwd ${process.cwd()}, uid ${process.getuid?.()})` }] }));

server.registerTool('huge', {
  description: 'Returns `chars` characters of text.',
  inputSchema: { chars: z.number().int().min(1).max(5_000_000) },
  annotations: { readOnlyHint: true },
}, ({ chars }) => ({ content: [{ type: 'text', text: `HEAD${'x'.repeat(chars)}TAIL` }] }));

server.registerTool('write_note', {
  description: 'Writes a note into notes.txt in the working directory.',
  inputSchema: { note: z.string().max(1000) },
}, async ({ note }) => {
  const { appendFile } = await import('node:fs/promises');
  await appendFile('notes.txt', `${note}\n`);
  return { content: [{ type: 'text', text: 'noted' }] };
});

server.registerTool('crash', {
  description: 'Exits the server process (for restart tests).',
  inputSchema: {},
}, () => {
  process.stderr.write('fixture: crashing on purpose\n');
  setTimeout(() => process.exit(7), 10);
  return { content: [{ type: 'text', text: 'bye' }] };
});

await server.connect(new StdioServerTransport());
