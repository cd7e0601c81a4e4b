import assert from 'node:assert/strict';
import { normalizeServerUrl } from './server-url';

describe('Server URL setting', () => {
  it('keeps http(s) URLs without trailing slashes and refuses anything else', () => {
    assert.equal(normalizeServerUrl(' http://127.0.0.1:7777/ '), 'http://127.0.0.1:7777');
    assert.equal(normalizeServerUrl('https://example.com/slipway//'), 'https://example.com/slipway');
    assert.equal(normalizeServerUrl('javascript:alert(1)'), undefined);
    assert.equal(normalizeServerUrl('not a url'), undefined);
  });
});
