import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { ensureDatabaseImage } from '../testing/database-image';
import { requireDocker } from '../testing/docker';
import { removeInstallation } from '../testing/docker-cleanup';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { agentHarness, type AgentHarness } from './testing/agent-harness';
import { ofType } from './testing/chat-client';
import type { ReplyPart, ScriptTurn } from './testing/script';

const call = (name: string, args: Record<string, unknown>): ReplyPart => ({ toolCall: { name, args } });
const step = (...reply: ReplyPart[]): ScriptTurn => ({ reply });

/** The real agent loop, a scripted model, a project with its own PostgreSQL on real Docker. */
describe('agent with a project database on Docker', function () {
  this.timeout(180_000);
  let t: AgentHarness;
  const docker = new Docker();

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const [image, databaseImage] = await Promise.all([ensureSandboxImage(), ensureDatabaseImage()]);
    t = await agentHarness(new DockerRuntime(docker), { sandboxImage: image, databaseImage, sandboxLimits: { cpus: 1, memoryMb: 1024, pids: 256 } });
  });
  after(async () => {
    if (!t) return;
    const installation = t.h.s.reconciler!.ctx.installation;
    await t.close();
    await removeInstallation(installation, docker);
  });

  it('is told about the database, creates a table through psql, and sees it in project_info', async () => {
    const project = await t.h.create({ template: 'empty', database: true });
    await t.h.waitStatus(project.id, 'RUNNING', 120_000);
    const c = await t.client();
    const chatId = await t.chat(c, project.id);
    const result = await t.run(c, chatId, 'Store todos in the database', [
      step(call('project_info', {})),
      step(call('run_command', { command: 'psql -v ON_ERROR_STOP=1 -c "CREATE TABLE todos (id serial PRIMARY KEY, title text NOT NULL)" -c "INSERT INTO todos (title) VALUES (\'write tests\')"' })),
      step(call('project_info', {})),
      { reply: [{ text: 'The todos table is ready.' }] },
    ]);
    assert.equal(result.status, 'completed');
    const results = ofType(c.of(chatId), 'tool_call_result');
    assert.deepEqual(results.filter((r) => r.isError), [], 'no tool failed');
    assert.match(results[0]!.output, /Database: PostgreSQL \d+\.\d+.*, reachable through DATABASE_URL .*tables: \(no tables yet\)/);
    assert.match(results[1]!.output, /Exit code 0[\s\S]*CREATE TABLE[\s\S]*INSERT 0 1/);
    assert.match(results[2]!.output, /tables: public\.todos/);

    const first = t.model.requests[0]!.body as { messages: { role: string; content: string }[] };
    const system = first.messages.find((m) => m.role === 'system')!.content;
    assert.match(system, /own PostgreSQL database: DATABASE_URL .* psql is installed/);
    const daemon = await t.h.daemonOf(project.id);
    const rows = await daemon.call('exec.run', { command: ['psql', '-XAtqc', 'SELECT title FROM todos'] });
    assert.equal(rows.stdout.trim(), 'write tests', 'the table and its row are in the project\'s database');
  });

  it('says a project without a database has none, and does not mention one in the prompt', async () => {
    const projectId = await t.project();
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const before = t.model.requests.length;
    await t.run(c, chatId, 'look', [step(call('project_info', {})), { reply: [{ text: 'ok' }] }]);
    assert.match(ofType(c.of(chatId), 'tool_call_result')[0]!.output, /Database: none/);
    const request = t.model.requests[before]!.body as { messages: { role: string; content: string }[] };
    assert.doesNotMatch(request.messages.find((m) => m.role === 'system')!.content, /DATABASE_URL/);
  });
});
