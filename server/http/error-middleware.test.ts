import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import Koa from 'koa';
import { AppError } from '../errors';
import { createLogger } from '../log';
import { errorMiddleware } from './error-middleware';

/** Runs one request through the error middleware with a handler that throws, and returns the answer and the log. */
async function answer(thrown: unknown): Promise<{ status: number; body: unknown; log: { level: number; msg: string; err?: unknown }[] }> {
  const out = new PassThrough();
  let written = '';
  out.on('data', (chunk: Buffer) => { written += chunk; });
  const app = new Koa();
  app.use(errorMiddleware(createLogger('info', out)));
  app.use(() => { throw thrown; });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/x`);
    const body = await res.json();
    await new Promise((resolve) => setImmediate(resolve));
    return { status: res.status, body, log: written.split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
  } finally {
    server.close();
  }
}

describe('error middleware logging', () => {
  it('a sandbox outage answers 503 with its reason and logs no error or stack per request', async () => {
    const outage = new AppError('unavailable', "the project's sandbox is not running (its daemon stopped); it is being restarted", { reason: 'sandbox_not_running', retryAfter: 2, expose: true });
    const { status, body, log } = await answer(outage);
    assert.equal(status, 503);
    assert.deepEqual(body, { error: { code: 'unavailable', message: outage.message, reason: 'sandbox_not_running' } });
    assert.deepEqual(log.filter((line) => line.level >= 50), [], 'no error-level line');
  });

  it('an unexpected failure is still logged as an error, and its detail not shown', async () => {
    const { status, body, log } = await answer(new Error('secret detail'));
    assert.equal(status, 500);
    assert.doesNotMatch(JSON.stringify(body), /secret detail/);
    assert.equal(log.filter((line) => line.level === 50 && line.msg === 'request failed').length, 1);
  });
});
