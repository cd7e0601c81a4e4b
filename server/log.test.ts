import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, resolveLogFormat } from './log';

/** A stream that records what is written, optionally pretending to be a terminal. */
function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text(): string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (isTTY) stream.isTTY = true;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

const BOX = '\n  ┌────┐\n  │ hi │\n  └────┘';

describe('server logs', () => {
  it('are pretty and coloured on a terminal, with a multi-line message printed as lines', async () => {
    const out = capture(true);
    createLogger('info', out.stream, 'auto').warn({ token: 'secret-token' }, BOX);
    await new Promise((resolve) => setImmediate(resolve));
    const text = out.text();
    assert.ok(text.includes('\n  │ hi │\n'), `the box is not printed as lines: ${JSON.stringify(text)}`);
    assert.ok(!text.trimStart().startsWith('{'), 'JSON on a terminal');
    assert.match(text, /\x1b\[\d+m/, 'no colour on a terminal');
    assert.ok(!text.includes('secret-token'), 'a secret was printed');
  });

  it('are JSON lines when not a terminal, or when asked', async () => {
    for (const [isTty, format] of [[false, 'auto'], [true, 'json']] as const) {
      const out = capture(isTty);
      createLogger('info', out.stream, format).warn({ token: 'secret-token' }, BOX);
      await new Promise((resolve) => setImmediate(resolve));
      const line = JSON.parse(out.text().trim()) as { msg: string; token: string; level: number };
      assert.equal(line.msg, BOX);
      assert.equal(line.token, '[redacted]');
    }
  });

  it('can be pretty without a terminal (no colour then)', async () => {
    const out = capture(false);
    createLogger('info', out.stream, 'pretty').info('hello there');
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(out.text(), /INFO.*hello there/);
    assert.doesNotMatch(out.text(), /\x1b\[/);
    assert.equal(resolveLogFormat('auto', true), 'pretty');
    assert.equal(resolveLogFormat('auto', false), 'json');
  });
});
