import assert from 'node:assert/strict';
import { createUser } from '../auth/user-store';
import { insertProject } from '../projects/project-store';
import { testDatabase, type TestDatabase } from '../testing/postgres';
import { scheduleRestart } from './health-store';
import { insertSandbox, markSandbox } from './sandbox-store';

describe('health store: restarts after a lost daemon', () => {
  let db: TestDatabase;
  before(async () => { db = await testDatabase(); });
  after(async () => db?.drop());

  async function runningProject(address: string) {
    const { user, teamId } = await createUser(db.sql, { email: `u-${Math.random()}@example.com`, passwordHash: null });
    const project = await db.sql.begin((tx) => insertProject(tx, { teamId, name: 'app', slug: `app-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, template: 'empty', desired: 'RUNNING', createdBy: user.id }));
    await db.sql`UPDATE projects SET status = 'RUNNING' WHERE id = ${project.id}`;
    const sandbox = await insertSandbox(db.sql, { projectId: project.id, runtime: 'docker', image: 'img' });
    await markSandbox(db.sql, sandbox.id, { address, state: 'RUNNING' });
    return { projectId: project.id, sandboxId: sandbox.id };
  }
  const statusOf = async (projectId: string) => (await db.sql<{ status: string }[]>`SELECT status FROM projects WHERE id = ${projectId}`)[0]!.status;

  it('ignores the end of a daemon the sandbox no longer runs (another server replaced it)', async () => {
    const { projectId, sandboxId } = await runningProject('http://10.0.0.2:7070');
    assert.equal(await scheduleRestart(db.sql, sandboxId, 'http://10.0.0.1:7070', 'its daemon stopped'), false);
    assert.equal(await statusOf(projectId), 'RUNNING');
  });

  it('restarts when the daemon that ended is the sandbox\'s own, once', async () => {
    const { projectId, sandboxId } = await runningProject('http://10.0.0.3:7070');
    assert.equal(await scheduleRestart(db.sql, sandboxId, 'http://10.0.0.3:7070', 'its daemon stopped'), true);
    assert.equal(await statusOf(projectId), 'STARTING');
    // A second server seeing the same loss changes nothing more.
    assert.equal(await scheduleRestart(db.sql, sandboxId, 'http://10.0.0.3:7070', 'its daemon stopped'), false);
  });
});
