import assert from 'node:assert/strict';
import { waitFor } from '../testing/wait-for';
import type { AgentHarness } from './testing/agent-harness';
import { ofType } from './testing/chat-client';
import type { ReplyPart, ScriptTurn } from './testing/script';

const call = (name: string, args: Record<string, unknown>): ReplyPart => ({ toolCall: { name, args } });
const step = (...reply: ReplyPart[]): ScriptTurn => ({ reply });
const say = (text: string): ScriptTurn => ({ reply: [{ text }] });

const SERVER_JS = `const http = require('http');
const port = Number(process.env.PORT);
http.createServer((req, res) => res.end('hello from the dev server')).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
`;

/** The real agent loop against a real sandbox and PostgreSQL, with a scripted model. */
export function agentSandboxSuite(get: () => AgentHarness, options: { port: () => Promise<number> }): void {
  let projectId: string;
  before(async function () {
    this.timeout(120_000);
    projectId = await get().project();
  });

  it('builds in several steps: plan, write, edit, run, a background server, fetch, a checkpoint', async () => {
    const t = get();
    const port = await options.port();
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const result = await t.run(c, chatId, 'Build a tiny web server', [
      step({ text: 'Planning first.' }, call('todo_write', { todos: [{ content: 'Write the server', status: 'in_progress' }, { content: 'Run it', status: 'pending' }] })),
      step(call('write_file', { path: 'site/server.js', content: SERVER_JS }), call('write_file', { path: 'site/notes.txt', content: 'version one\nkeep this line\n' })),
      step(call('edit_file', { path: 'site/notes.txt', edits: [{ old_string: 'version one', new_string: 'version two' }] })),
      step(call('run_command', { command: 'cat notes.txt && node --version', cwd: 'site' })),
      step(call('shell', { command: 'cd site && export GREETING=persisted' })),
      step(call('shell', { command: 'pwd && echo "$GREETING"' })),
      step(call('run_command', { command: `PORT=${port} node server.js`, cwd: 'site', background: true, wait_for_port: port, timeout_seconds: 20 })),
      step(call('fetch_url', { url: `http://127.0.0.1:${port}/` })),
      step(call('read_file', { path: 'site/notes.txt' }), call('list_files', { pattern: '*.js' }), call('grep', { pattern: 'version \\w+', path: 'site' }), call('project_info', {})),
      say('Done: the server runs.'),
    ]);
    assert.equal(result.status, 'completed');
    const events = c.of(chatId);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    const results = ofType(events, 'tool_call_result');
    const failed = results.filter((r) => r.isError);
    assert.deepEqual(failed, [], 'no tool failed');
    const output = (name: string, index = 0) => results.filter((r) => r.name === name)[index]?.output ?? '';
    assert.match(output('run_command'), /Exit code 0[\s\S]*version two\nkeep this line\nv\d+\./);
    assert.match(output('shell', 1), /\/site\npersisted/);
    assert.match(output('run_command', 1), new RegExp(`port ${port} is listening`));
    assert.match(output('fetch_url'), /HTTP 200[\s\S]*hello from the dev server/);
    assert.match(output('read_file'), /1\tversion two\n2\tkeep this line/);
    assert.match(output('list_files'), /site\/server\.js/);
    assert.match(output('grep'), /notes\.txt:1:version two/);
    assert.match(output('project_info'), new RegExp(`${port} → preview`));

    const daemon = await t.h.daemonOf(projectId);
    assert.equal(await daemon.readText('site/notes.txt'), 'version two\nkeep this line\n');
    const changes = ofType(events, 'file_change');
    assert.deepEqual(changes.map((ch) => [ch.path, ch.kind]), [['site/server.js', 'create'], ['site/notes.txt', 'create'], ['site/notes.txt', 'modify']]);
    assert.match(changes[2]!.diff, /-version one\n\+version two/);
    assert.deepEqual(ofType(events, 'todo_update')[0]?.todos.map((todo) => todo.status), ['in_progress', 'pending']);
    assert.ok(ofType(events, 'tool_call_start').length >= 12);
    const checkpoints = ofType(events, 'checkpoint');
    assert.ok(checkpoints.length >= 1, 'a checkpoint after the turn');
    assert.ok(checkpoints.at(-1)!.files.includes('site/notes.txt'));
    // The dev server keeps running after the turn.
    const curl = await daemon.call('exec.run', { command: ['node', '-e', `fetch('http://127.0.0.1:${port}/').then((r) => r.text()).then(console.log)`] });
    assert.equal(curl.stdout.trim(), 'hello from the dev server');
    for (const p of (await daemon.call('exec.list', {})).processes) if (p.running) await daemon.call('exec.kill', { processId: p.processId, signal: 'SIGKILL' });
    // What the model was given back for its calls: results follow their calls.
    const lastRequest = t.model.requests.at(-1)!.body as { messages: { role: string; tool_call_id?: string }[] };
    assert.ok(lastRequest.messages.filter((m) => m.role === 'tool').length >= 12);
  });

  it('leaves a file untouched when an edit does not apply, and shows the nearest text', async () => {
    const t = get();
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const original = 'function add(a, b) {\n  return a + b;\n}\nconst x = 1;\nconst x = 1;\n';
    const result = await t.run(c, chatId, 'edit badly', [
      step(call('write_file', { path: 'edits/math.js', content: original })),
      step(call('edit_file', { path: 'edits/math.js', edits: [{ old_string: 'return a + b;', new_string: 'return a - b;' }, { old_string: 'function sub(a, b)', new_string: 'x' }] })),
      step(call('edit_file', { path: 'edits/math.js', edits: [{ old_string: 'const x = 1;', new_string: 'const y = 2;' }] })),
      step(call('edit_file', { path: 'edits/math.js', edits: [{ old_string: 'function add(a, b) {\n    return a + b;', new_string: 'nope' }] })),
      step(call('edit_file', { path: 'edits/math.js', edits: [{ old_string: 'x', new_string: 'y', unknown: true }] })),
      say('I could not edit it.'),
    ]);
    assert.equal(result.status, 'completed');
    const results = ofType(c.of(chatId), 'tool_call_result').slice(1);
    assert.ok(results.every((r) => r.isError));
    assert.match(results[0]!.output, /Edit 2 of 2 failed: old_string was not found[\s\S]*No changes were made/);
    assert.match(results[0]!.output, /closest text[\s\S]*function add/);
    assert.match(results[1]!.output, /occurs 2 times .*at lines 4, 5/);
    assert.match(results[2]!.output, /whitespace is ignored/);
    assert.match(results[3]!.output, /Invalid input for edit_file/);
    const daemon = await t.h.daemonOf(projectId);
    assert.equal(await daemon.readText('edits/math.js'), original);
    assert.equal(ofType(c.of(chatId), 'file_change').length, 1, 'only the write changed the file');
  });

  it('caps long output and reads the rest through its handle', async () => {
    const t = get();
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    t.model.enqueue(step(call('run_command', { command: 'seq 1 20000' })));
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'count' });
    const first = await c.waitFor(chatId, (b) => b.type === 'tool_call_result');
    const output = first.body.type === 'tool_call_result' ? first.body.output : '';
    const handle = /read_output \{"process_id":"(proc_\d+)","offset":(\d+)\}/.exec(output);
    assert.ok(handle, output.slice(-300));
    t.model.enqueue(step(call('read_output', { process_id: handle[1], offset: Number(handle[2]), limit: 200_000 })), say('Counted.'));
    assert.equal((await c.done(chatId, turnId, 30_000)).status, 'completed');
    const rest = ofType(c.of(chatId), 'tool_call_result')[1]!.output;
    assert.match(rest, /exited with code 0/);
    assert.ok(rest.trimEnd().endsWith('\n20000'), rest.slice(-50));
  });

  it('stops a running command at once when cancelled', async () => {
    const t = get();
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    t.model.enqueue(step(call('run_command', { command: 'echo started; sleep 30' })));
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'wait a long time' });
    await c.waitFor(chatId, (b) => b.type === 'tool_call_start');
    const daemon = await t.h.daemonOf(projectId);
    const running = await waitFor(async () => (await daemon.call('exec.list', {})).processes.find((p) => p.running && String(p.command).includes('sleep 30')), { what: 'the command to start' });
    const started = Date.now();
    await c.request('chat.cancel', { chatId });
    const done = await c.done(chatId, turnId);
    assert.equal(done.status, 'cancelled');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    await waitFor(async () => !(await daemon.call('exec.log', { processId: running.processId })).running, { what: 'the command to be killed', timeoutMs: 5000 });
    const types = c.of(chatId).map((e) => e.body.type);
    assert.ok(types.indexOf('cancel_requested') < types.indexOf('done'));
  });

  it('misses nothing across a disconnect: a reconnecting client and a live one see the same events', async () => {
    const t = get();
    const [a, b] = [await t.client(), await t.client()];
    const chatId = await t.chat(a, projectId);
    await b.request('chat.subscribe', { chatId, fromSeq: 0 });
    t.model.enqueue(
      { reply: [{ text: Array.from({ length: 30 }, (_, i) => `part${i} `) }, { toolCall: { name: 'write_file', args: { path: 'dc/a.txt', content: 'a' } } }], delayMs: 15 },
      { reply: [{ text: Array.from({ length: 30 }, (_, i) => `more${i} `) }], delayMs: 15 },
    );
    const { turnId } = await a.request<{ turnId: string }>('chat.send', { chatId, text: 'stream a lot' });
    await a.waitFor(chatId, (body) => body.type === 'text_delta' && body.text.includes('part5'));
    await a.close();
    const seen = a.of(chatId).at(-1)!.seq;
    await b.done(chatId, turnId, 30_000);
    const again = await t.client();
    await again.request('chat.subscribe', { chatId, fromSeq: seen });
    await again.done(chatId, turnId);
    assert.deepEqual([...a.of(chatId), ...again.of(chatId)], b.of(chatId));
    const stored = await t.h.s.call('GET', `/api/chats/${chatId}/events?after=0&limit=1000`, { token: t.h.user.token });
    assert.deepEqual(stored.body.items, b.of(chatId));
    const text = ofType(b.of(chatId), 'text_delta').map((d) => d.text).join('');
    assert.equal(text, [...Array.from({ length: 30 }, (_, i) => `part${i} `), ...Array.from({ length: 30 }, (_, i) => `more${i} `)].join(''));
  });

  it('asks before writing when the project says so; any member answers', async () => {
    const t = get();
    const { s, user } = t.h;
    const put = await s.call('PUT', `/api/projects/${projectId}/agent`, { token: user.token, body: { approvals: { write: 'ask' } } });
    assert.equal(put.body.approvals.write, 'ask');
    assert.equal(put.body.approvals.execute, 'auto');
    const teammate = await s.signUp('teammate');
    await s.addMember(user, user.teamId, teammate);
    const c = await t.client();
    const other = await t.client(teammate.token);
    const chatId = await t.chat(c, projectId);
    await other.request('chat.subscribe', { chatId, fromSeq: 0 });
    t.model.enqueue(step(call('write_file', { path: 'approved/yes.txt', content: 'yes' })), step(call('write_file', { path: 'approved/no.txt', content: 'no' })), say('Done asking.'));
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'write two files' });
    const first = await other.waitFor(chatId, (b) => b.type === 'approval_request');
    assert.ok(first.body.type === 'approval_request' && first.body.category === 'write' && /approved\/yes\.txt/.test(first.body.summary));
    const daemon = await t.h.daemonOf(projectId);
    await assert.rejects(daemon.readText('approved/yes.txt'), 'nothing is written before the answer');
    await other.request('chat.approve', { chatId, approvalId: first.body.approvalId, approved: true });
    await assert.rejects(c.request('chat.approve', { chatId, approvalId: first.body.approvalId, approved: false }), /conflict/);
    const firstId = first.body.approvalId;
    const second = await c.waitFor(chatId, (b) => b.type === 'approval_request' && b.approvalId !== firstId);
    assert.ok(second.body.type === 'approval_request');
    await c.request('chat.approve', { chatId, approvalId: second.body.approvalId, approved: false });
    assert.equal((await c.done(chatId, turnId)).status, 'completed');
    assert.equal(await daemon.readText('approved/yes.txt'), 'yes');
    await assert.rejects(daemon.readText('approved/no.txt'));
    const denied = ofType(c.of(chatId), 'tool_call_result')[1]!;
    assert.equal(denied.isError, true);
    assert.match(denied.output, /denied/);
    assert.deepEqual(ofType(c.of(chatId), 'approval_answer').map((a) => [a.approved, a.by?.name]), [[true, teammate.email], [false, user.email]]);
    await s.call('PUT', `/api/projects/${projectId}/agent`, { token: user.token, body: { approvals: { write: 'auto' } } });
  });

  it('verifies with the project checks and repairs until they pass', async () => {
    const t = get();
    const { s, user } = t.h;
    await s.call('PUT', `/api/projects/${projectId}/agent`, { token: user.token, body: { checks: [{ name: 'marker', command: 'test -f verify/ok.txt || (echo "verify/ok.txt is missing" >&2; exit 1)' }], maxRepairRounds: 2 } });
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const result = await t.run(c, chatId, 'make it pass', [
      step(call('write_file', { path: 'verify/wrong.txt', content: 'oops' })),
      say('Done, I think.'),
      step(call('write_file', { path: 'verify/ok.txt', content: 'fixed' })),
      say('Fixed it.'),
    ]);
    assert.equal(result.status, 'completed');
    const events = c.of(chatId);
    assert.deepEqual(ofType(events, 'test_result').map((r) => [r.name, r.passed]), [['marker', false], ['marker', true]]);
    assert.match(ofType(events, 'test_result')[0]!.output, /verify\/ok\.txt is missing/);
    assert.deepEqual(ofType(events, 'stage').map((st) => st.stage), ['verify', 'repair', 'verify', 'verified']);
    const repair = ofType(events, 'user_message').find((m) => m.source === 'verify');
    assert.match(repair!.text, /checks failed[\s\S]*verify\/ok\.txt is missing/);
    await s.call('PUT', `/api/projects/${projectId}/agent`, { token: user.token, body: { checks: [] } });
  });

  it('checkpoints turns of several chats at once in a fresh project, one git command at a time', async () => {
    const t = get();
    const fresh = await t.project();
    const c = await t.client();
    const chats = await Promise.all(Array.from({ length: 6 }, () => t.chat(c, fresh)));
    // Every first request writes a file (whichever turn it serves), every second one ends the turn.
    t.model.enqueue(...chats.map((_, i) => step(call('write_file', { path: `together/${i}.txt`, content: `chat ${i}\n` }))), ...chats.map(() => say('written')));
    const results = await Promise.all(chats.map(async (chatId, i) => {
      const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: `write file ${i}` });
      return c.done(chatId, turnId, 90_000);
    }));
    const errors = chats.flatMap((chatId) => ofType(c.of(chatId), 'error').map((e) => e.message));
    assert.deepEqual(errors, [], 'no turn failed');
    assert.deepEqual(results.map((r) => r.status), chats.map(() => 'completed'));
    assert.deepEqual(chats.flatMap((chatId) => ofType(c.of(chatId), 'tool_call_result').filter((r) => r.isError)), []);
    // Each turn's change is in a checkpoint after it (a later turn's commit may carry an earlier file).
    const { checkpoints } = await c.request<{ checkpoints: { chatId: string; files: string[] }[] }>('checkpoints.list', { projectId: fresh });
    const checkpointed = new Set(checkpoints.flatMap((cp) => cp.files));
    for (let i = 0; i < chats.length; i++) assert.ok(checkpointed.has(`together/${i}.txt`), `together/${i}.txt is in a checkpoint: ${JSON.stringify(checkpoints)}`);
  });

  it('lists, diffs and restores checkpoints: files, and the conversation', async () => {
    const t = get();
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const daemon = await t.h.daemonOf(projectId);
    await daemon.writeFile('cp/kept.txt', 'from before', { createParents: true });
    await t.run(c, chatId, 'first version', [step(call('write_file', { path: 'cp/app.txt', content: 'v1\n' })), say('v1 written')]);
    await t.run(c, chatId, 'second version', [step(call('write_file', { path: 'cp/app.txt', content: 'v2\n' }), call('write_file', { path: 'cp/extra.txt', content: 'extra' })), say('v2 written')]);
    const { checkpoints } = await c.request<{ checkpoints: { id: string; chatId: string; message: string; files: string[] }[] }>('checkpoints.list', { projectId });
    const mine = checkpoints.filter((cp) => cp.chatId === chatId);
    const afterFirst = mine.find((cp) => cp.files.includes('cp/app.txt') && !cp.files.includes('cp/extra.txt') && cp.message.startsWith('After'));
    assert.ok(afterFirst, JSON.stringify(mine));
    const diff = await c.request<{ diff: string; files: string[] }>('checkpoints.diff', { checkpointId: afterFirst.id });
    assert.ok(diff.files.includes('cp/extra.txt'));
    assert.match(diff.diff, /-v1\n\+v2/);
    const restored = await c.request<{ backupCheckpointId: string | null }>('checkpoints.restore', { checkpointId: afterFirst.id, conversation: true });
    assert.equal(await daemon.readText('cp/app.txt'), 'v1\n');
    await assert.rejects(daemon.readText('cp/extra.txt'), 'a file created later is gone');
    assert.equal(await daemon.readText('cp/kept.txt'), 'from before', 'files from before the chat are kept');
    const event = (await c.waitFor(chatId, (b) => b.type === 'restored')).body;
    assert.ok(event.type === 'restored' && event.conversationSeq, JSON.stringify(event));
    // The model no longer sees the second prompt.
    await t.run(c, chatId, 'what now?', [say('We are at v1.')]);
    const sent = t.model.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    const userTexts = sent.messages.filter((m) => m.role === 'user').map((m) => m.content);
    assert.deepEqual(userTexts, ['first version', 'what now?']);
    // The restore can be undone.
    assert.ok(restored.backupCheckpointId);
    await c.request('checkpoints.restore', { checkpointId: restored.backupCheckpointId, conversation: false });
    assert.equal(await daemon.readText('cp/extra.txt'), 'extra');
  });

  it('undoes the agent\'s change to single files from a checkpoint, for members only', async () => {
    const t = get();
    const { s } = t.h;
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const daemon = await t.h.daemonOf(projectId);
    await daemon.writeFile('undo/a.txt', 'a before\n', { createParents: true });
    await daemon.writeFile('undo/b.txt', 'b before\n', { createParents: true });
    await t.run(c, chatId, 'change both and add one', [step(
      call('write_file', { path: 'undo/a.txt', content: 'a after\n' }),
      call('write_file', { path: 'undo/b.txt', content: 'b after\n' }),
      call('write_file', { path: 'undo/new file.txt', content: 'new' }),
    ), say('changed')]);
    const events = c.of(chatId);
    const before = ofType(events, 'checkpoint').findLast((cp) => cp.message.startsWith('Before'));
    assert.ok(before, JSON.stringify(ofType(events, 'checkpoint')));
    // A stranger may not, and paths outside the workspace are refused.
    const stranger = await t.client((await s.signUp('stranger')).token);
    await assert.rejects(stranger.request('checkpoints.restore', { checkpointId: before.checkpointId, paths: ['undo/a.txt'] }), /not_found|not found/i);
    await assert.rejects(c.request('checkpoints.restore', { checkpointId: before.checkpointId, paths: ['../outside.txt'] }), /bad_request|inside the workspace/i);
    assert.equal(await daemon.readText('undo/a.txt'), 'a after\n');
    // One file: only it goes back; a file the agent created is removed.
    await c.request('checkpoints.restore', { checkpointId: before.checkpointId, paths: ['undo/a.txt', 'undo/new file.txt'] });
    assert.equal(await daemon.readText('undo/a.txt'), 'a before\n');
    assert.equal(await daemon.readText('undo/b.txt'), 'b after\n', 'another file was restored too');
    await assert.rejects(daemon.readText('undo/new file.txt'), 'the created file is still there');
    const restored = (await c.waitFor(chatId, (b) => b.type === 'restored' && !!b.paths)).body;
    assert.ok(restored.type === 'restored' && restored.conversationSeq === null);
    assert.deepEqual(restored.paths, ['undo/a.txt', 'undo/new file.txt']);
  });

  it('keeps a NUL byte in command output out of the event log, and the turn completes', async () => {
    const t = get();
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const result = await t.run(c, chatId, 'Print a binary byte', [
      step(call('run_command', { command: "printf 'before\\000after'" })),
      say('Printed.'),
    ]);
    assert.equal(result.status, 'completed');
    const [output] = ofType(c.of(chatId), 'tool_call_result');
    assert.match(output!.output, /before\uFFFDafter/);
    const replay = await t.h.s.call('GET', `/api/chats/${chatId}/events`, { token: t.h.user.token });
    assert.ok(!JSON.stringify(replay.body).includes('\\u0000'));
  });
}
