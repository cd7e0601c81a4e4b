import assert from 'node:assert/strict';
import { Scrollback } from './scrollback';

describe('Scrollback', () => {
  it('keeps the newest output within its capacity', () => {
    const scrollback = new Scrollback(10);
    scrollback.append('hello ');
    scrollback.append('world');
    assert.equal(scrollback.text(), 'world');
    scrollback.append('0123456789ABC');
    assert.equal(scrollback.text(), '3456789ABC');
    for (let i = 0; i < 2000; i++) scrollback.append('.');
    assert.equal(scrollback.text(), '..........');
  });
});
