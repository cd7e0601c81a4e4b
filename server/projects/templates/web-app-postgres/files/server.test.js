import { test } from 'node:test';
import assert from 'node:assert/strict';
import { server, sql } from './server.js';

test('POST /api/notes stores a note that GET lists', async () => {
  await new Promise((resolve) => server.listen(0, resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const created = await fetch(`${base}/api/notes`, { method: 'POST', body: JSON.stringify({ text: 'from the test' }) });
  assert.equal(created.status, 201);
  const { id } = await created.json();
  const notes = await (await fetch(`${base}/api/notes`)).json();
  assert.ok(notes.some((n) => n.id === id && n.text === 'from the test'));
  await sql`DELETE FROM notes WHERE id = ${id}`;
  server.close();
  await sql.end();
});
