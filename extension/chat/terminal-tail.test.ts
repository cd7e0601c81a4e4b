import assert from 'node:assert/strict';
import { CONTEXT_LIMITS } from '../../protocol/chat-context';
import { terminalTail } from './terminal-tail';

describe('terminal output for the chat', () => {
  it('drops colours, cursor moves and titles; keeps the text and its lines', () => {
    const raw = '\x1b]0;user@sandbox: ~\x07\x1b[01;32muser\x1b[00m$ npm test\r\n\x1b[31mFAIL\x1b[39m src/a.test.js\r\n\x1b[2K\x1b[1Gdone  \r\n';
    assert.equal(terminalTail(raw), 'user$ npm test\nFAIL src/a.test.js\ndone');
  });

  it('keeps the end of a long output, within the protocol cap', () => {
    const raw = `${'old line\r\n'.repeat(5000)}the last line`;
    const tail = terminalTail(raw);
    assert.equal(tail.length, CONTEXT_LIMITS.terminalChars);
    assert.ok(tail.endsWith('old line\nthe last line'));
  });
});
