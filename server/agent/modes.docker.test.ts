import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { requireDocker } from '../testing/docker';
import { removeInstallation } from '../testing/docker-cleanup';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { agentHarness, type AgentHarness } from './testing/agent-harness';
import { ofType, type ChatTestClient } from './testing/chat-client';
import type { ReplyPart, ScriptTurn } from './testing/script';
import { RULES_CAP_BYTES } from './loop/project-rules';

const call = (name: string, args: Record<string, unknown>): ReplyPart => ({ toolCall: { name, args } });
const step = (...reply: ReplyPart[]): ScriptTurn => ({ reply });
const say = (text: string): ScriptTurn => ({ reply: [{ text }] });

/** Plan mode, act on an edited plan, and project rules: the real loop, a real sandbox, a scripted model. */
describe('agent modes and project rules on Docker', function () {
  this.timeout(90_000);
  let t: AgentHarness;
  let projectId: string;
  const docker = new Docker();

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    t = await agentHarness(new DockerRuntime(docker), { sandboxImage: await ensureSandboxImage(), sandboxLimits: { cpus: 1, memoryMb: 1024, pids: 256 } });
    projectId = await t.project();
  });
  after(async () => {
    if (!t) return;
    const installation = t.h.s.reconciler!.ctx.installation;
    await t.close();
    await removeInstallation(installation, docker);
  });

  /** Sends a prompt in a mode and waits for the turn's end; returns the requests the model received. */
  const send = async (c: ChatTestClient, chatId: string, params: Record<string, unknown>, turns: ScriptTurn[]) => {
    const before = t.model.requests.length;
    t.model.enqueue(...turns);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, ...params });
    const done = await c.done(chatId, turnId, 60_000);
    assert.equal(t.model.remaining(), 0, 'the model played every scripted turn');
    return { done, requests: t.model.requests.slice(before).map((r) => r.body as { messages: { role: string; content: unknown }[] }) };
  };
  const systemOf = (request: { messages: { role: string; content: unknown }[] }) => String(request.messages[0]?.role === 'system' ? request.messages[0].content : '');

  it('plan mode reads but refuses writes and commands with a clear tool error, and answers with a plan; Act carries out the edited plan', async () => {
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const daemon = await t.h.daemonOf(projectId);
    const plan = await send(c, chatId, { text: 'Plan a greeting file', mode: 'plan' }, [
      step(call('write_file', { path: 'hello.txt', content: 'too early\n' }), call('run_command', { command: 'touch ran.txt' })),
      step(call('list_files', {})),
      step({ text: 'My plan:' }, call('todo_write', { todos: [{ content: 'Create hello.txt', status: 'pending' }, { content: 'Print it', status: 'pending' }] })),
      say('Two steps; press Act to run them.'),
    ]);
    assert.equal(plan.done.status, 'completed');
    const events = [...c.of(chatId)];
    const [prompt] = ofType(events, 'user_message');
    assert.equal(prompt?.mode, 'plan');
    const results = ofType(events, 'tool_call_result');
    const refused = results.filter((r) => r.isError).map((r) => [r.name, r.output.split(':')[0]]);
    assert.deepEqual(refused, [['write_file', 'write_file is not available in plan mode (it is a write tool)'], ['run_command', 'run_command is not available in plan mode (it is a execute tool)']]);
    assert.equal(results.find((r) => r.name === 'list_files')?.isError, false, 'reading works in plan mode');
    assert.equal(await daemon.call('fs.stat', { path: 'hello.txt' }).then(() => 'exists', () => 'absent'), 'absent');
    assert.equal(await daemon.call('fs.stat', { path: 'ran.txt' }).then(() => 'exists', () => 'absent'), 'absent');
    assert.deepEqual(ofType(events, 'checkpoint'), [], 'nothing changed, so no checkpoint');
    assert.deepEqual(ofType(events, 'rules'), [], 'a project without rules files hears nothing of rules');
    assert.deepEqual(ofType(events, 'todo_update').at(-1)?.todos.map((i) => i.content), ['Create hello.txt', 'Print it']);
    assert.ok(plan.requests.every((r) => systemOf(r).includes('PLAN MODE')), 'every step of the plan turn tells the model it plans');
    // The model was told why, in the result it saw.
    assert.match(JSON.stringify(plan.requests[1]!.messages), /write_file is not available in plan mode/);

    // The user edits the plan (rewords one step, drops the other) and presses Act.
    const edited = [{ content: 'Create hello.txt saying hi', status: 'pending' as const }];
    const act = await send(c, chatId, { text: 'Carry out the plan.', mode: 'act', plan: edited }, [
      step(call('write_file', { path: 'hello.txt', content: 'hi\n' })),
      say('Done.'),
    ]);
    assert.equal(act.done.status, 'completed');
    const after = c.of(chatId).slice(events.length);
    assert.deepEqual(after.slice(0, 2).map((e) => e.body.type), ['user_message', 'todo_update'], 'the edited plan is the chat\'s todo list from the start of the act turn');
    const actPrompt = ofType(after, 'user_message')[0]!;
    assert.deepEqual([actPrompt.mode, actPrompt.plan], ['act', edited]);
    assert.equal(ofType(after, 'tool_call_result')[0]?.isError, false);
    assert.equal(await daemon.readText('hello.txt'), 'hi\n');
    assert.ok(!systemOf(act.requests[0]!).includes('PLAN MODE'));
    const lastUser = act.requests[0]!.messages.filter((m) => m.role === 'user').at(-1);
    assert.match(String(lastUser?.content), /Carry out the plan\.[\s\S]*1\. \[pending\] Create hello\.txt saying hi$/);
    assert.doesNotMatch(String(lastUser?.content), /Print it/);
  });

  it('refuses a plan sent with plan mode, and a resume keeps the plan mode of the prompt it continues', async () => {
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    await assert.rejects(c.request('chat.send', { chatId, text: 'x', mode: 'plan', plan: [{ content: 'a', status: 'pending' }] }), /bad_request|act/);
    await assert.rejects(c.request('chat.send', { chatId, text: 'x', mode: 'build' }), /invalid|mode/i);
    t.model.enqueue({ fault: 'bad_key' });
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'Plan it', mode: 'plan' });
    assert.equal((await c.done(chatId, turnId, 30_000)).status, 'failed');
    t.model.enqueue(step(call('write_file', { path: 'resumed.txt', content: 'no\n' })), say('Still planning.'));
    const resumed = await c.request<{ turnId: string }>('chat.resume', { chatId });
    assert.equal((await c.done(chatId, resumed.turnId, 60_000)).status, 'completed');
    assert.match(ofType(c.of(chatId), 'tool_call_result').at(-1)!.output, /not available in plan mode/);
  });

  it('gives the model AGENTS.md and .slipway/rules/*.md, capped, and shows the chat which rules are active when they change', async () => {
    const daemon = await t.h.daemonOf(projectId);
    const big = Array.from({ length: 2000 }, (_, i) => `Rule line ${i} of the long file.`).join('\n') + '\n';
    await daemon.writeFile('AGENTS.md', 'Always answer in French.\n');
    await daemon.writeFile('.slipway/rules/a-style.md', 'Prefer const over let.\n', { createParents: true });
    await daemon.writeFile('.slipway/rules/m-long.md', big);
    await daemon.writeFile('.slipway/rules/z-late.md', 'This file comes after the cap.\n');
    await daemon.writeFile('.slipway/rules/notes.txt', 'Not a rules file.\n');
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const first = await send(c, chatId, { text: 'Hello' }, [say('Bonjour.')]);
    const system = systemOf(first.requests[0]!);
    assert.match(system, /# Project rules[\s\S]*## AGENTS\.md\nAlways answer in French\.[\s\S]*## \.slipway\/rules\/a-style\.md\nPrefer const over let\.[\s\S]*## \.slipway\/rules\/m-long\.md\nRule line 0 /);
    assert.match(system, /\[\.slipway\/rules\/m-long\.md is cut here: the rest is over the 24000-byte cap on project rules\]/);
    assert.doesNotMatch(system, /This file comes after the cap|Not a rules file/);
    assert.ok(Buffer.byteLength(system) < RULES_CAP_BYTES + 3000, `the system prompt stays bounded (${Buffer.byteLength(system)} bytes)`);
    const [rules, ...more] = ofType(c.of(chatId), 'rules');
    assert.equal(more.length, 0);
    const sizes = Object.fromEntries(rules!.files.map((f) => [f.path, [f.bytes, f.includedBytes]]));
    assert.deepEqual(Object.keys(sizes), ['AGENTS.md', '.slipway/rules/a-style.md', '.slipway/rules/m-long.md', '.slipway/rules/z-late.md']);
    assert.deepEqual(sizes['AGENTS.md'], [25, 25]);
    assert.equal(sizes['.slipway/rules/m-long.md']![0], Buffer.byteLength(big));
    assert.ok(sizes['.slipway/rules/m-long.md']![1]! < Buffer.byteLength(big) && sizes['.slipway/rules/m-long.md']![1]! > 20_000);
    assert.deepEqual(sizes['.slipway/rules/z-late.md'], [31, 0]);
    assert.match(rules!.cut ?? '', /m-long\.md: \d+ of \d+ bytes left out; \.slipway\/rules\/z-late\.md \(31 bytes\) left out \(project rules are capped at 24000 bytes\)/);
    const total = rules!.files.reduce((sum, f) => sum + f.includedBytes, 0);
    assert.ok(total <= RULES_CAP_BYTES, `${total} bytes included`);

    // The same rules next turn: nothing new in the chat, the same prompt. Changed rules: shown again.
    await send(c, chatId, { text: 'Again' }, [say('Encore.')]);
    assert.equal(ofType(c.of(chatId), 'rules').length, 1);
    await daemon.call('fs.delete', { path: '.slipway', recursive: true });
    await daemon.writeFile('AGENTS.md', 'Use tabs.\n');
    const third = await send(c, chatId, { text: 'And now?' }, [say('Tabs.')]);
    assert.deepEqual(ofType(c.of(chatId), 'rules').at(-1), { type: 'rules', files: [{ path: 'AGENTS.md', bytes: 10, includedBytes: 10 }], cut: null });
    assert.match(systemOf(third.requests[0]!), /## AGENTS\.md\nUse tabs\.$/);
    await daemon.call('fs.delete', { path: 'AGENTS.md' });
  });

  it('/checkpoint saves the workspace as a checkpoint of the chat (once per change), /compact summarises the conversation for the next turns', async () => {
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    await send(c, chatId, { text: 'Write a note' }, [step(call('write_file', { path: 'note.md', content: 'first\n' })), say('Written.')]);
    const daemon = await t.h.daemonOf(projectId);
    await daemon.writeFile('note.md', 'edited by the user\n');
    const taken = await c.request<{ checkpointId: string | null; created: boolean }>('chat.checkpoint', { chatId, message: 'Before the refactor' });
    assert.equal(taken.created, true);
    const checkpoint = await c.waitFor(chatId, (b) => b.type === 'checkpoint' && b.message === 'Before the refactor');
    assert.equal(checkpoint.body.type === 'checkpoint' && checkpoint.body.checkpointId, taken.checkpointId);
    const listed = await c.request<{ checkpoints: { id: string; chatId: string; message: string }[] }>('checkpoints.list', { projectId });
    assert.equal(listed.checkpoints.find((cp) => cp.id === taken.checkpointId)?.chatId, chatId);
    const again = await c.request<{ checkpointId: string | null; created: boolean }>('chat.checkpoint', { chatId });
    assert.deepEqual(again, { checkpointId: taken.checkpointId, created: false }, 'unchanged: the last checkpoint is the answer');
    await c.waitFor(chatId, (b) => b.type === 'notice' && /Nothing changed since the last checkpoint/.test(b.message));

    const before = t.model.requests.length;
    t.model.enqueue(say('The user asked for a note; note.md was written.'));
    const { turnId } = await c.request<{ turnId: string }>('chat.compact', { chatId });
    assert.equal((await c.done(chatId, turnId, 30_000)).status, 'completed');
    const summaryRequest = t.model.requests[before]!.body as { messages: { content: unknown }[] };
    assert.match(JSON.stringify(summaryRequest.messages), /Write a note[\s\S]*write_file/, 'the model summarised the whole conversation');
    const [compaction] = ofType(c.of(chatId), 'compaction');
    assert.equal(compaction?.summary, 'The user asked for a note; note.md was written.');
    const next = await send(c, chatId, { text: 'What did we do?' }, [say('A note.')]);
    const sent = next.requests[0]!.messages.filter((m) => m.role !== 'system');
    assert.deepEqual(sent.map((m) => m.role), ['user', 'user'], 'the next turn sees only the summary and the new prompt');
    assert.match(String(sent[0]!.content), /Summary of the earlier conversation[\s\S]*note\.md was written/);

    const fresh = await t.chat(c, projectId);
    const nothing = await c.request<{ turnId: string }>('chat.compact', { chatId: fresh });
    assert.equal((await c.done(fresh, nothing.turnId)).status, 'completed');
    await c.waitFor(fresh, (b) => b.type === 'notice' && /Nothing to compact yet/.test(b.message));
  });
});
