import assert from 'node:assert/strict';
import { ProcessLog } from './process-log';
import { completeUtf8Length } from './utf8-boundary';

describe('ProcessLog', () => {
  it('addresses output by byte offset across streams', () => {
    const log = new ProcessLog(1024);
    log.append('stdout', Buffer.from('hello '));
    log.append('stderr', Buffer.from('world'));
    const read = log.read(3, 5);
    assert.deepEqual(read.chunks.map((c) => [c.stream, c.offset, c.data.toString()]), [['stdout', 3, 'lo '], ['stderr', 6, 'wo']]);
    assert.equal(read.nextOffset, 8);
    assert.equal(log.tailOffset(4), 7);
  });

  it('drops the oldest bytes past its capacity', () => {
    const log = new ProcessLog(10);
    log.append('stdout', Buffer.from('0123456789'));
    log.append('stdout', Buffer.from('abcd'));
    assert.equal(log.start, 4);
    assert.equal(log.end, 14);
    const all = log.read(0, 100);
    assert.equal(all.offset, 4, 'a read from a dropped offset starts at the oldest kept byte');
    assert.equal(all.chunks.map((c) => c.data.toString()).join(''), '456789abcd');
    log.append('stderr', Buffer.from('x'.repeat(25)));
    assert.equal(log.read(0, 100).chunks.map((c) => c.data.toString()).join(''), 'x'.repeat(10));
  });
});

describe('completeUtf8Length', () => {
  it('holds back a character cut in half', () => {
    const euro = Buffer.from('a€'); // 61 e2 82 ac
    assert.equal(completeUtf8Length(euro), 4);
    assert.equal(completeUtf8Length(euro.subarray(0, 3)), 1);
    assert.equal(completeUtf8Length(euro.subarray(0, 2)), 1);
    assert.equal(completeUtf8Length(Buffer.from('😀').subarray(0, 3)), 0);
    assert.equal(completeUtf8Length(Buffer.from('plain')), 5);
    assert.equal(completeUtf8Length(Buffer.alloc(0)), 0);
  });
});
