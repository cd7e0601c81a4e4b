import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidsExhausted, pidsUsage } from './pids-usage';

describe('the sandbox cgroup\'s process count', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'pids-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const at = (name: string) => join(dir, name);

  it('reads the first layout that exists (v2 before v1), and judges 95% of the limit used up', async () => {
    await writeFile(at('v1.current'), '127\n');
    await writeFile(at('v1.max'), '128\n');
    const usage = await pidsUsage([[at('v2.current'), at('v2.max')], [at('v1.current'), at('v1.max')]]);
    assert.deepEqual(usage, { current: 127, max: 128 });
    assert.equal(pidsExhausted(usage), true);
    assert.equal(pidsExhausted({ current: 100, max: 128 }), false);
  });

  it('has nothing to judge by without a limit ("max") or without the controller', async () => {
    await writeFile(at('current'), '7\n');
    await writeFile(at('max'), 'max\n');
    assert.equal(await pidsUsage([[at('current'), at('max')]]), undefined);
    assert.equal(await pidsUsage([[at('none.current'), at('none.max')]]), undefined);
    assert.equal(pidsExhausted(undefined), false);
  });
});
