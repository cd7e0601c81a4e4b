import assert from 'node:assert/strict';
import { chatWsMethods } from './chat';
import { base64Bytes, ChatAttachments, CONTEXT_LIMITS, StoredAttachment } from './chat-context';
import { PNG_1X1, pngOfSize } from './testing/images';
import { fromWebview } from './webview';

const image = (data = PNG_1X1, mediaType = 'image/png') => ({ kind: 'image', mediaType, data });
const problem = { path: 'src/a.ts', line: 3, column: 5, severity: 'error', message: 'Cannot find name x', source: 'ts' };
const valid = [
  { kind: 'file', path: 'src/a.ts' },
  { kind: 'folder', path: 'src' },
  { kind: 'selection', path: 'src/a.ts', startLine: 1, endLine: 4, language: 'typescript', text: 'const x = 1;' },
  { kind: 'problems', problems: [problem] },
  { kind: 'terminal', name: 'Slipway: app', output: 'npm ERR! missing script: test' },
  image(),
];
const issues = (value: unknown) => {
  const parsed = ChatAttachments.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('chat context attachments (protocol)', () => {
  it('accepts each kind, as chat.send and the webview carry them', () => {
    assert.deepEqual(issues(valid), []);
    const send = chatWsMethods['chat.send'].params.parse({ chatId: '00000000-0000-4000-8000-000000000000', text: 'hi', attachments: valid });
    assert.equal(send.attachments.length, valid.length);
    assert.deepEqual(chatWsMethods['chat.send'].params.parse({ chatId: '00000000-0000-4000-8000-000000000000', text: 'hi' }).attachments, [], 'older clients send none');
    assert.equal(fromWebview['chat.send'].parse({ text: 'hi', attachments: valid }).attachments.length, valid.length);
  });

  it('refuses paths that leave the workspace or name .git', () => {
    for (const path of ['/etc/passwd', '../x', 'a/../../b', 'a/.git/config', 'a\\..\\b', 'a\0b', '']) {
      assert.notDeepEqual(issues([{ kind: 'file', path }]), [], path);
    }
    assert.notDeepEqual(issues([{ kind: 'problems', problems: [{ ...problem, path: '../../x' }] }]), []);
  });

  it('caps content: selection, terminal output, problem count and length, attachment count', () => {
    const sel = (text: string) => [{ kind: 'selection', path: 'a', startLine: 1, endLine: 1, text }];
    assert.deepEqual(issues(sel('x'.repeat(CONTEXT_LIMITS.selectionChars))), []);
    assert.notDeepEqual(issues(sel('x'.repeat(CONTEXT_LIMITS.selectionChars + 1))), []);
    assert.notDeepEqual(issues([{ kind: 'selection', path: 'a', startLine: 5, endLine: 4, text: 'x' }]), [], 'end before start');
    assert.notDeepEqual(issues([{ kind: 'terminal', name: 't', output: 'x'.repeat(CONTEXT_LIMITS.terminalChars + 1) }]), []);
    assert.notDeepEqual(issues([{ kind: 'problems', problems: Array(CONTEXT_LIMITS.problems + 1).fill(problem) }]), []);
    assert.notDeepEqual(issues([{ kind: 'problems', problems: [{ ...problem, message: 'x'.repeat(CONTEXT_LIMITS.problemChars + 1) }] }]), []);
    assert.notDeepEqual(issues(Array(CONTEXT_LIMITS.attachments + 1).fill({ kind: 'file', path: 'a' })), []);
    assert.notDeepEqual(issues([{ kind: 'shell', command: 'rm -rf /' }]), [], 'unknown kinds');
  });

  it('images: known types whose bytes match, canonical base64, size per image and per message, count', () => {
    assert.notDeepEqual(issues([image(PNG_1X1, 'image/jpeg')]), [], 'PNG bytes declared as JPEG');
    assert.notDeepEqual(issues([image(PNG_1X1, 'image/svg+xml')]), [], 'SVG (script) is not an image type here');
    assert.notDeepEqual(issues([image(`${PNG_1X1.slice(0, -4)}!!!!`)]), [], 'not base64');
    assert.notDeepEqual(issues([image(PNG_1X1.slice(0, -1))]), [], 'base64 of the wrong length');
    assert.deepEqual(issues([image(btoa('RIFF\0\0\0\0WEBPVP8 '), 'image/webp')]), []);
    assert.deepEqual(issues([image(btoa('\xff\xd8\xff\xe0\0\x10JFIF'), 'image/jpeg')]), []);
    assert.deepEqual(issues([image(btoa('GIF89a\x01\0\x01\0'), 'image/gif')]), []);

    const max = pngOfSize(CONTEXT_LIMITS.imageBytes);
    assert.equal(base64Bytes(max), CONTEXT_LIMITS.imageBytes);
    assert.deepEqual(issues([image(max)]), []);
    assert.notDeepEqual(issues([image(pngOfSize(CONTEXT_LIMITS.imageBytes + 1))]), []);
    const half = pngOfSize(CONTEXT_LIMITS.imageTotalBytes / 2 + 1);
    assert.match(issues([image(half), image(half)]).join(), /KiB at most/);
    assert.match(issues(Array(CONTEXT_LIMITS.images + 1).fill(image())).join(), /at most 4 images/);
  });

  it('stored paths carry what the server found; a client cannot pass off content as a stored kind it is not', () => {
    assert.deepEqual(StoredAttachment.parse({ kind: 'file', path: 'a' }), { kind: 'file', path: 'a', missing: false, bytes: null });
    assert.equal(StoredAttachment.safeParse({ kind: 'folder', path: '../a' }).success, false);
    // What a client sends for a path has no `missing`/`bytes`: they are dropped, the server sets them.
    assert.deepEqual(ChatAttachments.parse([{ kind: 'file', path: 'a', missing: true, bytes: 5 }]), [{ kind: 'file', path: 'a' }]);
  });
});
