import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { zipFolder } from './zip-folder';

function names(bytes: Uint8Array): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => { out.push(entry.fileName); zip.readEntry(); });
      zip.on('end', () => resolve(out.sort()));
      zip.readEntry();
    });
  });
}

describe('Zipping a folder for import', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'slipway-zip-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes regular files with relative paths, and leaves out .git, node_modules and links', async () => {
    mkdirSync(join(dir, 'src/lib'), { recursive: true });
    mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'src/lib/a.ts'), 'export {}');
    writeFileSync(join(dir, 'node_modules/x/index.js'), '');
    writeFileSync(join(dir, '.git/HEAD'), 'ref');
    symlinkSync('/etc/passwd', join(dir, 'passwd'));
    const { bytes, files } = await zipFolder(dir);
    assert.equal(files, 2);
    assert.deepEqual(await names(bytes), ['package.json', 'src/lib/a.ts']);
  });

  it('refuses folders over the limits', async () => {
    writeFileSync(join(dir, 'a'), 'x'.repeat(1000));
    writeFileSync(join(dir, 'b'), 'y');
    await assert.rejects(zipFolder(dir, { maxBytes: 1 << 20, maxEntries: 1 }), /more than 1 files/);
    await assert.rejects(zipFolder(dir, { maxBytes: 100, maxEntries: 10 }), /too large/);
  });
});
