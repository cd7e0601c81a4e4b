import assert from 'node:assert/strict';
import { sampleConversation, sampleTools } from '../testing/conversation-fixture';
import { estimateMessageTokens, estimateRequestTokens, estimateTextTokens, MESSAGE_OVERHEAD } from './token-estimate';

describe('token estimate', () => {
  it('counts about four Latin characters a token, and other scripts more densely', () => {
    assert.equal(estimateTextTokens(''), 0);
    assert.equal(estimateTextTokens('abcd'.repeat(100)), 100);
    assert.ok(estimateTextTokens('日本語のテキスト'.repeat(10)) > estimateTextTokens('abcdefgh'.repeat(10)) * 2);
  });

  it('adds a per-message overhead and counts tool calls by their JSON', () => {
    assert.equal(estimateMessageTokens({ role: 'user', content: '' }), MESSAGE_OVERHEAD);
    const small = estimateMessageTokens({ role: 'assistant', content: [{ type: 'tool_call', id: 'a', name: 'f', input: {} }] });
    const big = estimateMessageTokens({ role: 'assistant', content: [{ type: 'tool_call', id: 'a', name: 'f', input: { text: 'x'.repeat(4000) } }] });
    assert.ok(big - small >= 1000);
  });

  it('grows with the system prompt, tools and messages of a request', () => {
    const bare = estimateRequestTokens({ system: '', messages: [], tools: [] });
    const full = estimateRequestTokens({ system: 'You build apps. '.repeat(50), messages: sampleConversation, tools: sampleTools });
    assert.ok(full > bare + 200, `${full} vs ${bare}`);
    // A real tokenizer puts this request near 300 tokens; the estimate should be the same order.
    assert.ok(full > 150 && full < 600, String(full));
  });
});
