import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import postgres from 'postgres';

// The project's database: Slipway sets DATABASE_URL (and PGHOST, PGUSER…) in the sandbox.
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: give the project a database (Slipway: Add Database)');
export const sql = postgres(process.env.DATABASE_URL, { max: 5, onnotice: () => {} });
await sql`CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, text text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`;

const port = Number(process.env.PORT ?? 3000);
const publicDir = join(import.meta.dirname, 'public');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function readJson(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}');
}

export const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname === '/api/notes' && req.method === 'GET') {
      return json(res, 200, await sql`SELECT id, text, created_at FROM notes ORDER BY id DESC LIMIT 100`);
    }
    if (url.pathname === '/api/notes' && req.method === 'POST') {
      const { text } = await readJson(req);
      if (typeof text !== 'string' || !text.trim()) return json(res, 400, { error: 'text is required' });
      const [note] = await sql`INSERT INTO notes (text) VALUES (${text.trim()}) RETURNING id, text, created_at`;
      return json(res, 201, note);
    }
    const file = normalize(join(publicDir, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(publicDir)) return res.writeHead(403).end();
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch (error) {
    if (error.code === 'ENOENT') return res.writeHead(404).end('not found');
    if (error instanceof SyntaxError) return json(res, 400, { error: 'send JSON' });
    console.error(error);
    json(res, 500, { error: 'something went wrong' });
  }
});

if (process.argv[1] === import.meta.filename) {
  server.listen(port, () => console.log(`listening on http://localhost:${port}`));
}
