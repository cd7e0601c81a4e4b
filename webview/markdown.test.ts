import assert from 'node:assert/strict';
import { renderMarkdown } from './markdown';

describe('Markdown renderer', () => {
  it('renders paragraphs, headings, lists, code and links', () => {
    const html = renderMarkdown('# Plan\n\nFirst line\nsecond **bold** and `a<b>`.\n\n- one\n- two [docs](https://example.com/x?a=1&b=2)\n\n1. first\n2. second\n\n```ts\nconst x = 1 < 2;\n```\nafter');
    assert.equal(html, [
      '<h3>Plan</h3>',
      '<p>First line<br>second <strong>bold</strong> and <code>a&lt;b&gt;</code>.</p>',
      '<ul><li>one</li><li>two <a href="https://example.com/x?a=1&amp;b=2">docs</a></li></ul>',
      '<ol><li>first</li><li>second</li></ol>',
      '<pre data-lang="ts"><code>const x = 1 &lt; 2;</code></pre>',
      '<p>after</p>',
    ].join('\n'));
  });

  it('renders a half-streamed answer: an unclosed fence runs to the end', () => {
    assert.equal(renderMarkdown('Here:\n```\nnpm run dev'), '<p>Here:</p>\n<pre><code>npm run dev</code></pre>');
    assert.equal(renderMarkdown('see https://x.dev/a.'), '<p>see <a href="https://x.dev/a">https://x.dev/a</a>.</p>');
  });

  it('keeps an XSS attempt inert: no tags, handlers or script URLs come through', () => {
    const attack = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '[click](javascript:alert(3))',
      '[x](https://ok.dev/"onmouseover="alert(4))',
      '```\n</code></pre><script>alert(5)</script>\n```',
      '- <iframe src="https://evil">',
      '`<b onclick=alert(6)>`',
    ].join('\n\n');
    const html = renderMarkdown(attack);
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());
    assert.deepEqual([...new Set(tags)].sort(), ['a', 'code', 'li', 'p', 'pre', 'ul']);
    // The one link is the plain https URL inside the iframe text, with nothing but an href.
    assert.deepEqual([...html.matchAll(/<a ([^>]*)>/g)].map((m) => m[1]), ['href="https://evil"']);
    assert.doesNotMatch(html, /="alert/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /\[click\]\(javascript:alert\(3\)\)/);
  });
});
