import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('hunter2-very-secret', 'env:p1:DB_PASSWORD');
    assert.ok(!sealed.includes(Buffer.from('hunter2')));
    assert.equal(box.open(sealed, 'env:p1:DB_PASSWORD'), 'hunter2-very-secret');
  });

  it('refuses a ciphertext moved to another context or tampered with', () => {
    const sealed = box.seal('value', 'env:p1:A');
    assert.throws(() => box.open(sealed, 'env:p2:A'));
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => box.open(tampered, 'env:p1:A'));
  });

  it('refuses another key', () => {
    const sealed = box.seal('value', 'c');
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'c'));
  });
});
