import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CREDENTIAL_PATH, CredentialGrants } from './credential-grants';

describe('git credential grants', () => {
  let server: Server;
  let grants: CredentialGrants;
  let url: string;
  beforeEach(async () => {
    grants = new CredentialGrants(() => (server.address() as AddressInfo).port);
    server = createServer((req, res) => void grants.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CREDENTIAL_PATH}`;
  });
  afterEach(async () => {
    await grants.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const ask = async (grant: string, host: string) => {
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Grant ${grant}` }, body: `protocol=https\nhost=${host}\n\n` });
    return { status: res.status, body: await res.text() };
  };

  it('answers once, for the granted host only, and nothing after revocation', async () => {
    const grant = await grants.issue({ https: [{ host: 'git.example.com', username: 'alice', password: 'alice-token' }] });
    const id = grant.env.SLIPWAY_GIT_GRANT!;
    assert.equal(grant.env.SLIPWAY_GIT_CREDENTIAL_URL, url);
    assert.ok(!JSON.stringify(grant).includes('alice-token'), 'the token is in neither the environment nor the config');
    assert.deepEqual(await ask(id, 'evil.example.com'), { status: 200, body: '' });
    assert.deepEqual(await ask(id, 'GIT.example.com'), { status: 200, body: 'username=alice\npassword=alice-token\n' });
    assert.equal((await ask(id, 'git.example.com')).status, 403, 'a grant is used up by its first answer');
    const other = await grants.issue({ https: [{ host: 'git.example.com', username: 'bob', password: 'bob-token' }] });
    await other.revoke();
    assert.equal((await ask(other.env.SLIPWAY_GIT_GRANT!, 'git.example.com')).status, 403);
    assert.equal((await ask('made-up', 'git.example.com')).status, 403);
  });
});
