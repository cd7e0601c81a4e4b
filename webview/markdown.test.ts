import assert from 'node:assert/strict';
import { renderMarkdown } from './markdown';

describe('Markdown renderer', () => {
  it('renders paragraphs, headings, nested lists, tables, code and links', () => {
    const html = renderMarkdown('# Plan\n\nFirst **bold** and `a<b>`.\n\n- one\n  - nested\n- two [docs](https://example.com/x?a=1&b=2)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    assert.match(html, /<h3>Plan<\/h3>/);
    assert.match(html, /<strong>bold<\/strong> and <code>a&lt;b&gt;<\/code>/);
    assert.match(html, /<ul>\s*<li>one\s*<ul>\s*<li>nested<\/li>/);
    assert.match(html, /<a href="https:\/\/example.com\/x\?a=1&amp;b=2">docs<\/a>/);
    assert.match(html, /<table>[\s\S]*<th>a<\/th>[\s\S]*<td>2<\/td>/);
  });

  it('highlights code with class names only, and gives code blocks Copy and Insert', () => {
    const html = renderMarkdown('```ts\nconst x: number = 1 < 2 ? 1 : 2;\n```');
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
    assert.match(html, /&lt;/);
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /data-code-action="copy"/);
    assert.match(html, /data-code-action="insert"/);
    assert.match(html, /class="code-lang">ts</);
  });

  it('renders a half-streamed answer: an unclosed fence runs to the end', () => {
    const html = renderMarkdown('Here:\n```bash\nnpm run dev');
    assert.match(html, /<p>Here:<\/p>/);
    assert.match(html, /<pre><code class="language-bash">npm run <span class="hljs-built_in">dev<\/span>|<pre><code class="language-bash">npm run dev/);
    assert.doesNotThrow(() => renderMarkdown('| a |\n|--'));
    assert.doesNotThrow(() => renderMarkdown('**unclosed [link](http'));
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
      '![img](javascript:alert(7))',
      '[data](data:text/html;base64,PHNjcmlwdD4=)',
    ].join('\n\n');
    const html = renderMarkdown(attack);
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());
    for (const tag of tags) assert.ok(['a', 'code', 'li', 'p', 'pre', 'ul', 'div', 'span', 'button', 'br'].includes(tag), `unexpected <${tag}>`);
    assert.doesNotMatch(html, /<(script|img|iframe|b )/i);
    assert.doesNotMatch(html, /href="(javascript|data):/i);
    assert.doesNotMatch(html, /="alert/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});
