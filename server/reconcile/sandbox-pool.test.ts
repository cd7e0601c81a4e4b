import assert from 'node:assert/strict';
import { createUser } from '../auth/user-store';
import { insertProject } from '../projects/project-store';
import { saveTeamCluster } from '../teams/team-cluster-store';
import { testDatabase, type TestDatabase } from '../testing/postgres';
import { claimFromPool, insertSandbox, markSandbox } from './sandbox-store';

describe('sandbox store: claims from the warm pool', () => {
  let db: TestDatabase;
  before(async () => { db = await testDatabase(); });
  after(async () => db?.drop());

  async function project() {
    const { user, teamId } = await createUser(db.sql, { email: `u-${Math.random()}@example.com`, passwordHash: null });
    const made = await db.sql.begin((tx) => insertProject(tx, { teamId, name: 'app', slug: `app-${Math.random().toString(36).slice(2, 10)}`, template: 'empty', desired: 'RUNNING', createdBy: user.id }));
    return { projectId: made.id, teamId, userId: user.id };
  }
  async function poolSandbox(address: string) {
    const sandbox = await insertSandbox(db.sql, { projectId: null, runtime: 'kubernetes', image: 'img' });
    await markSandbox(db.sql, sandbox.id, { address, state: 'RUNNING' });
    return sandbox.id;
  }

  it("gives no pool sandbox (the server's cluster) to a team that runs its sandboxes in its own cluster", async () => {
    const pooled = await poolSandbox('http://10.1.0.1:7070');
    const own = await project();
    await saveTeamCluster(db.sql, own.userId, { teamId: own.teamId, kubeconfig: Buffer.from('sealed'), namespace: 'team-ns', server: 'https://k8s.example.com', clusterName: 'theirs' });
    assert.equal(await claimFromPool(db.sql, own.projectId, 'kubernetes', 'img'), undefined);
    const plain = await project();
    assert.equal((await claimFromPool(db.sql, plain.projectId, 'kubernetes', 'img'))?.id, pooled);
  });
});
