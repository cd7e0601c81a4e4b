import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentHarness, type AgentHarness } from '../agent/testing/agent-harness';
import { ofType } from '../agent/testing/chat-client';
import type { ReplyPart, ScriptTurn } from '../agent/testing/script';
import { HostRuntime } from '../runtime/host/host-runtime';
import { removeHostSandboxes } from '../testing/host-sandboxes';
import { ensureDaemonBundle } from '../testing/sandbox-image';
import { startGitHttpServer, type GitHttpServer } from '../../sandbox-image/daemon/git/testing/git-http-server';
import { git, seedBareRepository } from '../../sandbox-image/daemon/git/testing/git-fixture';

const call = (name: string, args: Record<string, unknown>): ReplyPart => ({ toolCall: { name, args } });
const step = (...reply: ReplyPart[]): ScriptTurn => ({ reply });
const say = (text: string): ScriptTurn => ({ reply: [{ text }] });

/** The agent commits when asked (the user as co-author) and pushes only after a person approves, every time. */
describe('agent and Git (host runtime)', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-agent-git-'));
  const repos = mkdtempSync(join(tmpdir(), 'slipway-agent-repos-'));
  let t: AgentHarness;
  let server: GitHttpServer;
  let projectId: string;

  before(async function () {
    this.timeout(120_000);
    await ensureDaemonBundle();
    await seedBareRepository(repos);
    server = await startGitHttpServer({ root: repos, tokens: { builder: 'builder-token' } });
    t = await agentHarness(new HostRuntime(dir), { sandboxImage: 'host' });
    const host = new URL(server.url).host;
    await t.h.s.call('PUT', `/api/git/tokens/${host}`, { token: t.h.user.token, body: { token: 'builder-token', username: 'builder' } });
    projectId = (await t.h.create({ git: { url: `${server.url}/app.git` } })).id;
    await t.h.waitStatus(projectId, 'RUNNING');
  });
  after(async () => {
    await t?.close();
    await server?.close();
    await removeHostSandboxes(dir);
    await rm(repos, { recursive: true, force: true });
  });

  it('commits as the agent with the user as co-author, and pushes only once a person approves', async () => {
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    t.model.enqueue(
      step(call('write_file', { path: 'hello.txt', content: 'hello\n' })),
      step(call('git_commit', { message: 'Add hello' })),
      step(call('git_push', {})),
      say('Pushed.'),
    );
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'add hello.txt, commit and push' });
    const asked = await c.waitFor(chatId, (b) => b.type === 'approval_request');
    assert.ok(asked.body.type === 'approval_request' && asked.body.tool === 'git_push' && asked.body.category === 'publish');
    const firstId = asked.body.approvalId;
    const bare = join(repos, 'app.git');
    assert.equal(git(bare, 'log', '-1', '--format=%s', 'main').trim(), 'initial', 'nothing is pushed before the answer');
    await c.request('chat.approve', { chatId, approvalId: asked.body.approvalId, approved: true, remember: true });
    assert.equal((await c.done(chatId, turnId, 60_000)).status, 'completed');
    const results = ofType(c.of(chatId), 'tool_call_result');
    assert.deepEqual(results.filter((r) => r.isError), [], 'no tool failed');
    assert.equal(git(bare, 'log', '-1', '--format=%s|%an', 'main').trim(), 'Add hello|Slipway Agent');
    assert.match(git(bare, 'log', '-1', '--format=%B', 'main'), new RegExp(`Co-authored-by: builder <${t.h.user.email}>`));
    assert.ok(server.requests.filter((r) => r.path.endsWith('git-receive-pack') && r.status === 200).every((r) => r.user === 'builder'));

    // "Always allow" does not stick for pushes: the next one asks again, and a denial pushes nothing.
    const second = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'commit again and push' });
    t.model.enqueue(step(call('write_file', { path: 'again.txt', content: 'again\n' })), step(call('git_commit', { message: 'Again' })), step(call('git_push', {})), say('Tried.'));
    const again = await c.waitFor(chatId, (b) => b.type === 'approval_request' && b.approvalId !== firstId);
    assert.ok(again.body.type === 'approval_request');
    await c.request('chat.approve', { chatId, approvalId: again.body.approvalId, approved: false });
    await c.done(chatId, second.turnId, 60_000);
    assert.equal(git(bare, 'log', '-1', '--format=%s', 'main').trim(), 'Add hello');
  });
});
