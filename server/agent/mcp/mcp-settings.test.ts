import assert from 'node:assert/strict';
import { HIDDEN_VALUE, MAX_MCP_SERVERS } from '../../../protocol/mcp';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { rememberApproval } from '../approvals/remember-approval';
import { mcpServerTrusted, projectMcpSettings } from './mcp-settings-store';

describe('MCP settings API', () => {
  let s: TestServer;
  let token: string;
  let projectId: string;
  before(async () => {
    s = await startTestServer();
    const user = await s.signUp('mcp');
    token = user.token;
    projectId = (await s.call('POST', '/api/projects', { token, body: { teamId: user.teamId, name: 'mcp', start: false } })).body.id;
  });
  after(async () => s?.close());
  const put = (body: unknown, as = token) => s.call('PUT', `/api/projects/${projectId}/mcp`, { token: as, body });

  it('stores servers sealed, never shows env or header values again, and keeps a value sent back hidden', async () => {
    assert.deepEqual((await s.call('GET', `/api/projects/${projectId}/mcp`, { token })).body, { servers: {}, disabledTools: [], approvals: {} });
    const saved = await put({
      servers: {
        github: { type: 'stdio', command: 'npx', args: ['-y', 'github-mcp'], env: { GITHUB_TOKEN: 'ghp_secret_value' } },
        docs: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer sk-secret-header' } },
      },
      disabledTools: ['github__delete_repo', 'github__delete_repo'],
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.servers.github.env, { GITHUB_TOKEN: HIDDEN_VALUE });
    assert.deepEqual(saved.body.servers.docs.headers, { Authorization: HIDDEN_VALUE });
    assert.deepEqual(saved.body.disabledTools, ['github__delete_repo']);
    const [raw] = await s.db.sql<{ servers: Buffer }[]>`SELECT servers FROM project_mcp_settings WHERE project_id = ${projectId}`;
    assert.ok(raw && !raw.servers.toString('latin1').includes('ghp_secret_value') && !raw.servers.toString('latin1').includes('mcp.example.com'), 'sealed at rest');

    // Sent back as shown (plus a new variable): the hidden values stay, the new one is added.
    const shown = (await s.call('GET', `/api/projects/${projectId}/mcp`, { token })).body;
    shown.servers.github.env.EXTRA = 'plain';
    assert.equal((await put({ servers: shown.servers })).status, 200);
    const stored = await projectMcpSettings(s.db.sql, s.services.secrets, projectId);
    assert.deepEqual(stored.servers.github, { type: 'stdio', command: 'npx', args: ['-y', 'github-mcp'], env: { GITHUB_TOKEN: 'ghp_secret_value', EXTRA: 'plain' } });
    assert.deepEqual(stored.disabledTools, ['github__delete_repo'], 'left as it was');

    const noValue = await put({ servers: { other: { command: 'x', env: { KEY: HIDDEN_VALUE } } } });
    assert.equal(noValue.status, 400);
    assert.match(noValue.body.error.message, /servers\.other\.env\.KEY/);
  });

  it('refuses bad names, schemes, header injection, unknown fields and too many servers, and changes nothing', async () => {
    const before = await projectMcpSettings(s.db.sql, s.services.secrets, projectId);
    const bad: unknown[] = [
      { servers: { 'a__b': { command: 'x' } } },
      { servers: { 'has space': { command: 'x' } } },
      { servers: { x: { url: 'file:///etc/passwd' } } },
      { servers: { x: { url: 'http://h', headers: { 'X-A': 'v\r\nInjected: yes' } } } },
      { servers: { x: { command: 'x', shell: true } } },
      { servers: { x: { command: '' } } },
      { servers: { x: { command: 'x', args: new Array(101).fill('a') } } },
      { servers: Object.fromEntries(Array.from({ length: MAX_MCP_SERVERS + 1 }, (_, i) => [`s${i}`, { command: 'x' }])) },
      { disabledTools: ['no-namespace'] },
      { disabledTools: [`x__${'y'.repeat(80)}`] },
      { approvals: { github: 'always' } },
      { approvals: { github: true } },
      { approvals: { 'a__b': 'auto' } },
      { approvals: ['github'] },
      { approvals: Object.fromEntries(Array.from({ length: MAX_MCP_SERVERS * 2 + 1 }, (_, i) => [`s${i}`, 'auto'])) },
      { unexpected: true },
    ];
    for (const body of bad) {
      const res = await put(body);
      assert.equal(res.status, 422, JSON.stringify(body).slice(0, 200));
      assert.equal(res.body.error.code, 'validation_failed');
    }
    assert.deepEqual(await projectMcpSettings(s.db.sql, s.services.secrets, projectId), before);
  });

  it('keeps a per-server approval (auto for a trusted server; ask, the default, is not stored) apart from the rest', async () => {
    const put1 = await put({ approvals: { github: 'auto', docs: 'ask', 'from-workspace': 'auto' } });
    assert.equal(put1.status, 200, JSON.stringify(put1.body));
    assert.deepEqual(put1.body.approvals, { github: 'auto', 'from-workspace': 'auto' });
    const before = await projectMcpSettings(s.db.sql, s.services.secrets, projectId);
    assert.equal((await put({ disabledTools: [] })).status, 200);
    const after = await projectMcpSettings(s.db.sql, s.services.secrets, projectId);
    assert.deepEqual(after.approvals, before.approvals, 'a PUT without approvals leaves them');
    assert.deepEqual(after.servers, before.servers);
    assert.equal(await mcpServerTrusted(s.db.sql, projectId, 'github'), true);
    assert.equal(await mcpServerTrusted(s.db.sql, projectId, 'docs'), false);

    // "Always allow" on one server's tool: that server alone.
    await rememberApproval(s.db.sql, projectId, { category: 'mcp', tool: 'docs__search' });
    assert.deepEqual((await s.call('GET', `/api/projects/${projectId}/mcp`, { token })).body.approvals, { github: 'auto', 'from-workspace': 'auto', docs: 'auto' });
    assert.equal((await s.call('GET', `/api/projects/${projectId}/agent`, { token })).body.approvals.mcp, 'ask', 'the project-wide MCP category is untouched');

    // Someone outside the team can neither read nor set them.
    const stranger = await s.signUp('stranger');
    assert.equal((await put({ approvals: { github: 'ask' } }, stranger.token)).status, 404);
    assert.equal((await put({ approvals: {} })).status, 200);
    assert.deepEqual((await projectMcpSettings(s.db.sql, s.services.secrets, projectId)).approvals, {});
  });

  it('reports what runs (nothing, for a project whose sandbox never ran a turn)', async () => {
    const res = await s.call('GET', `/api/projects/${projectId}/mcp/status`, { token });
    assert.deepEqual(res.body, { servers: [], configError: null });
  });
});
