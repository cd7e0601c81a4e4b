import assert from 'node:assert/strict';
import { HIDDEN_VALUE, MAX_MCP_SERVERS } from '../../../protocol/mcp';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { projectMcpSettings } from './mcp-settings-store';

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
    assert.deepEqual((await s.call('GET', `/api/projects/${projectId}/mcp`, { token })).body, { servers: {}, disabledTools: [] });
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
      { unexpected: true },
    ];
    for (const body of bad) {
      const res = await put(body);
      assert.equal(res.status, 422, JSON.stringify(body).slice(0, 200));
      assert.equal(res.body.error.code, 'validation_failed');
    }
    assert.deepEqual(await projectMcpSettings(s.db.sql, s.services.secrets, projectId), before);
  });

  it('reports what runs (nothing, for a project whose sandbox never ran a turn)', async () => {
    const res = await s.call('GET', `/api/projects/${projectId}/mcp/status`, { token });
    assert.deepEqual(res.body, { servers: [], configError: null });
  });
});
