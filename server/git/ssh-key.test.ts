import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSshKey } from './ssh-key';

describe('SSH keys', () => {
  it('makes ed25519 keys that OpenSSH reads: the public key derives from the private one, fingerprints agree', async function () {
    try {
      execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.skip();
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'slipway-ssh-'));
    try {
      const key = generateSshKey('alice@example.com (Slipway)');
      const file = path.join(dir, 'id');
      await writeFile(file, key.privateKey, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
      assert.equal(derived.split(' ').slice(0, 2).join(' '), key.publicKey.split(' ').slice(0, 2).join(' '));
      const listed = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' });
      assert.ok(listed.includes(key.fingerprint), listed);
      assert.notEqual(generateSshKey('x').publicKey, key.publicKey);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
