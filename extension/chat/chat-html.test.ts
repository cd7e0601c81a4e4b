import assert from 'node:assert/strict';
import { chatPage } from './chat-html';

describe('Chat view page', () => {
  it('allows only its own nonce\'d script and its own styles', () => {
    const { html, nonce } = chatPage({ cspSource: 'https://webview.test', scriptUri: 'https://webview.test/dist/webview.js', styleUri: 'https://webview.test/dist/webview.css' });
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="https://webview.test/dist/webview.js">`));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.notEqual(chatPage({ cspSource: 'x', scriptUri: 'y', styleUri: 'z' }).nonce, nonce);
  });
});
