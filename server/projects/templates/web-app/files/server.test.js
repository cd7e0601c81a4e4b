import { test } from 'node:test';
import assert from 'node:assert/strict';
import { server } from './server.js';

test('GET /api/hello answers JSON', async () => {
  await new Promise((resolve) => server.listen(0, resolve));
  const { port } = server.address();
  const res = await fetch(`http://127.0.0.1:${port}/api/hello`);
  assert.equal(res.status, 200);
  assert.match((await res.json()).message, /Hello/);
  server.close();
});
