import assert from 'node:assert/strict';
import type { DaemonClient } from '../../daemon-client';
import { dispatchTool } from './dispatcher';
import { capOutput } from './output-cap';
import type { ToolContext } from './tool';
import { toolDefinitions } from './tool-registry';

const ctx = (): ToolContext => ({
  client: {} as DaemonClient,
  signal: new AbortController().signal,
  emit: async () => undefined,
  session: { todos: [], shellId: 'test' },
  project: { id: 'p', name: 'p', slug: 'p' },
  previewOrigin: (port) => `http://${port}-p.localhost`,
  daemonPort: undefined,
});
const allow = async () => true;

describe('tool dispatcher', () => {
  it('offers every tool with an object JSON Schema generated from its zod input', () => {
    const names = toolDefinitions.map((t) => t.name);
    for (const name of ['read_file', 'write_file', 'edit_file', 'list_files', 'grep', 'run_command', 'shell', 'read_output', 'kill_process', 'fetch_url', 'todo_write', 'project_info']) {
      assert.ok(names.includes(name), name);
    }
    const edit = toolDefinitions.find((t) => t.name === 'edit_file')!.inputSchema as unknown as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    assert.deepEqual(edit.required.sort(), ['edits', 'path']);
    assert.equal(edit.additionalProperties, false);
    const run = toolDefinitions.find((t) => t.name === 'run_command')!.inputSchema as unknown as { required: string[] };
    assert.deepEqual(run.required, ['command'], 'defaults make fields optional for the model');
  });

  it('answers bad calls with errors the model can act on', async () => {
    const unknown = await dispatchTool({ id: '1', name: 'rm_rf', input: {} }, ctx(), allow);
    assert.equal(unknown.isError, true);
    assert.match(unknown.content, /no tool named "rm_rf".*read_file/);
    const broken = await dispatchTool({ id: '2', name: 'read_file', input: {}, inputError: 'Unexpected end of JSON input' }, ctx(), allow);
    assert.match(broken.content, /not a JSON object \(Unexpected end/);
    const invalid = await dispatchTool({ id: '3', name: 'edit_file', input: { path: 'a', edits: [] } }, ctx(), allow);
    assert.match(invalid.content, /Invalid input for edit_file: edits: Too small: expected array to have >=1 items/);
    const extra = await dispatchTool({ id: '4', name: 'read_file', input: { path: 'a', mode: 'x' } }, ctx(), allow);
    assert.match(extra.content, /Unrecognized key.*mode/i);
    const badUrl = await dispatchTool({ id: '5', name: 'fetch_url', input: { url: 'file:///etc/passwd' } }, ctx(), allow);
    assert.match(badUrl.content, /Invalid input for fetch_url: url/);
  });

  it('asks for approval with the category and a summary, and reports a denial', async () => {
    const asked: unknown[] = [];
    const denied = await dispatchTool({ id: 'c1', name: 'run_command', input: { command: 'npm test' } }, ctx(), async (request) => {
      asked.push(request);
      return false;
    });
    assert.deepEqual(asked, [{ callId: 'c1', tool: 'run_command', category: 'execute', summary: 'run: npm test' }]);
    assert.equal(denied.isError, true);
    assert.match(denied.content, /denied this execute action/);
  });

  it('refuses every tool that is not a read tool in plan mode, before asking anyone, and lets read tools run', async () => {
    const asked: string[] = [];
    const ask = async (request: { tool: string }) => { asked.push(request.tool); return true; };
    for (const [name, input] of [['write_file', { path: 'a', content: 'x' }], ['edit_file', { path: 'a', edits: [{ old_string: 'a', new_string: 'b' }] }], ['run_command', { command: 'rm -rf .' }], ['shell', { command: 'ls' }], ['fetch_url', { url: 'https://example.com' }], ['git_push', {}]] as const) {
      const result = await dispatchTool({ id: name, name, input }, ctx(), ask, 'plan');
      assert.equal(result.isError, true, name);
      assert.match(result.content, new RegExp(`^${name} is not available in plan mode .*todo_write.*Act`), name);
    }
    assert.deepEqual(asked, [], 'a refused call never reaches the approval gate');
    const events: unknown[] = [];
    const planned = await dispatchTool({ id: 'p', name: 'todo_write', input: { todos: [{ content: 'Write it', status: 'pending' }] } }, { ...ctx(), emit: async (b: unknown) => void events.push(b) }, ask, 'plan');
    assert.equal(planned.isError, false);
    assert.equal(events.length, 1);
  });

  it('runs a tool and passes its events on', async () => {
    const events: unknown[] = [];
    const context = { ...ctx(), emit: async (body: unknown) => void events.push(body) };
    const result = await dispatchTool({ id: 't', name: 'todo_write', input: { todos: [{ content: 'Plan', status: 'completed' }, { content: 'Build', status: 'in_progress' }] } }, context, allow);
    assert.equal(result.isError, false);
    assert.equal(result.content, 'Plan updated:\n[x] Plan\n[~] Build');
    assert.deepEqual(events, [{ type: 'todo_update', todos: [{ content: 'Plan', status: 'completed' }, { content: 'Build', status: 'in_progress' }] }]);
  });

  it('caps huge outputs, keeping head and tail', () => {
    const text = `${'a'.repeat(50_000)}${'z'.repeat(50_000)}`;
    const capped = capOutput(text, 1000);
    assert.ok(capped.length < 1100);
    assert.ok(capped.startsWith('aaa') && capped.endsWith('zzz'));
    assert.match(capped, /99000 characters omitted/);
  });
});
