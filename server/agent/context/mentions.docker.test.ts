import assert from 'node:assert/strict';
import Docker from 'dockerode';
import type { StoredAttachment } from '../../../protocol/chat-context';
import { PNG_1X1 } from '../../../protocol/testing/images';
import { DockerRuntime } from '../../runtime/docker/docker-runtime';
import { requireDocker } from '../../testing/docker';
import { removeInstallation } from '../../testing/docker-cleanup';
import { ensureSandboxImage } from '../../testing/sandbox-image';
import { agentTestConfig } from '../testing/agent-config';
import { AGENT_TEST_KEY, agentHarness, type AgentHarness } from '../testing/agent-harness';
import { ofType, type ChatTestClient } from '../testing/chat-client';
import { openaiImages } from '../testing/image-parts';

/**
 * @-mentions and images through a real server, a real Docker sandbox and the scripted model: the
 * server looks each mentioned path up in the sandbox, keeps what travelled with the message in the
 * event log, and the model gets references, editor content and (when it takes them) images.
 */
describe('chat context: @-mentions and images against a real sandbox (Docker)', function () {
  this.timeout(90_000);
  let t: AgentHarness;
  let c: ChatTestClient;
  let projectId: string;
  const docker = new Docker();

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const image = await ensureSandboxImage();
    // Loopback team model endpoints allowed, as an admin of a one-box install would.
    t = await agentHarness(new DockerRuntime(docker), { sandboxImage: image, agent: { ...agentTestConfig(null), allowPrivateModelHosts: true } });
    projectId = await t.project();
    c = await t.client();
  });
  after(async () => {
    if (!t) return;
    const installation = t.h.s.reconciler!.ctx.installation;
    await t.close();
    await removeInstallation(installation, docker);
  });

  const setModel = (supportsImages: boolean | null) =>
    t.h.s.call('PUT', `/api/teams/${t.h.user.teamId}/model`, { token: t.h.user.token, body: { kind: 'openai', model: 'vision-test', baseUrl: t.model.baseUrl, apiKey: AGENT_TEST_KEY, supportsImages } });

  async function send(text: string, attachments: unknown[]) {
    const chatId = await t.chat(c, projectId);
    t.model.enqueue({ reply: [{ text: 'Looked.' }] });
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text, attachments });
    const done = await c.done(chatId, turnId, 60_000);
    return { chatId, done, events: c.of(chatId), request: t.model.requests.at(-1)! };
  }

  it('resolves mentioned paths in the sandbox and gives the model references plus the editor content', async () => {
    const put = await setModel(null);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.supportsImages, false, 'a custom endpoint defaults to text only');
    const { done, events, request } = await send('Why does this fail?', [
      { kind: 'file', path: 'README.md' },
      { kind: 'file', path: '.' },
      { kind: 'folder', path: 'no/such/dir' },
      { kind: 'selection', path: 'README.md', startLine: 1, endLine: 2, language: 'markdown', text: 'hello ``` world' },
      { kind: 'problems', problems: [{ path: 'src/a.ts', line: 3, column: 7, severity: 'error', message: "Cannot find name 'x'.", source: 'ts' }] },
      { kind: 'terminal', name: 'Slipway: build', output: 'npm ERR! missing script: build' },
    ]);
    assert.equal(done.status, 'completed');
    const [message] = ofType(events, 'user_message');
    const readme = (await t.h.daemonOf(projectId).then((d) => d.call('fs.stat', { path: 'README.md' }))).size;
    assert.deepEqual(message!.attachments!.slice(0, 3), [
      { kind: 'file', path: 'README.md', missing: false, bytes: readme },
      { kind: 'folder', path: '.', missing: false, bytes: null },
      { kind: 'folder', path: 'no/such/dir', missing: true, bytes: null },
    ] satisfies StoredAttachment[]);
    const sent = JSON.stringify(request.body.messages);
    assert.match(sent, new RegExp(`- README.md \\(${readme} bytes\\)`));
    assert.match(sent, /no\/such\/dir\/ \(not found in the workspace\)/);
    assert.match(sent, /Selected in README.md, lines 1-2:\\n````markdown\\nhello ``` world\\n````/, 'a fence the selection cannot close');
    assert.match(sent, /src\/a.ts:3:7 error: Cannot find name 'x'. \(ts\)/);
    assert.match(sent, /Last output of the terminal \\"Slipway: build\\"/);
  });

  it('a model without images: the image is kept in the log, left out of the request, and the chat says so', async () => {
    await setModel(false);
    const { done, events, request } = await send('Make the page look like this', [{ kind: 'image', mediaType: 'image/png', data: PNG_1X1, name: 'design.png' }]);
    assert.equal(done.status, 'completed', 'a notice, not a failure');
    assert.deepEqual(openaiImages.images(request.body), []);
    assert.match(JSON.stringify(request.body.messages), /does not accept images, so it was not sent/);
    assert.ok(ofType(events, 'notice').some((n) => /vision-test does not accept images/.test(n.message)));
    assert.equal(ofType(events, 'user_message')[0]!.attachments![0]!.kind, 'image');
  });

  it('a model with images gets the image part; a client that resumes the chat sees the stored image', async () => {
    await setModel(true);
    const { chatId, events, request } = await send('Make the page look like this', [{ kind: 'image', mediaType: 'image/png', data: PNG_1X1 }]);
    assert.deepEqual(openaiImages.images(request.body), [{ mediaType: 'image/png', data: PNG_1X1 }]);
    assert.equal(ofType(events, 'notice').length, 0);
    const later = await t.client();
    await later.request('chat.subscribe', { chatId, fromSeq: 0 });
    const replayed = await later.waitFor(chatId, (b) => b.type === 'user_message');
    assert.deepEqual((replayed.body as { attachments?: unknown }).attachments, [{ kind: 'image', mediaType: 'image/png', data: PNG_1X1 }]);
  });

  it('refuses bad attachments at the boundary with a clear error, and starts no turn', async () => {
    const chatId = await t.chat(c, projectId);
    const before = t.model.requests.length;
    for (const attachments of [
      [{ kind: 'file', path: '../../etc/passwd' }],
      [{ kind: 'image', mediaType: 'image/jpeg', data: PNG_1X1 }],
      [{ kind: 'selection', path: 'a', startLine: 1, endLine: 1, text: 'x'.repeat(20_001) }],
    ]) {
      await assert.rejects(c.request('chat.send', { chatId, text: 'x', attachments }), (e: { error?: { code: string } }) => e.error?.code === 'validation_failed');
    }
    assert.equal(t.model.requests.length, before);
    assert.equal(ofType(c.of(chatId), 'user_message').length, 0);
  });
});
