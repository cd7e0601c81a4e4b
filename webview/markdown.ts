import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt, { type MarkdownIt as Md } from 'markdown-it';

/**
 * The agent's answers as HTML: markdown-it (CommonMark + tables, strikethrough, autolinks) with raw
 * HTML off, so every piece of model text is escaped; links only to http(s)/mailto. Code blocks are
 * highlighted by highlight.js (class names only: the colours come from the theme, see style.css)
 * and get Copy and Insert buttons. Partial input (a streaming answer) renders too: an unclosed
 * fence runs to the end.
 */

for (const [name, language] of Object.entries({ bash, css, diff, dockerfile, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml })) {
  hljs.registerLanguage(name, language);
}
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['html', 'svg', 'vue'], { languageName: 'xml' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });
hljs.registerAliases(['py'], { languageName: 'python' });

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

const md: Md = new MarkdownIt({
  html: false,
  linkify: true,
  breaks: true,
  highlight: (code, lang) => {
    const language = lang && hljs.getLanguage(lang) ? lang : undefined;
    if (!language) return '';
    try {
      return hljs.highlight(code, { language, ignoreIllegals: true }).value;
    } catch {
      return '';
    }
  },
});
md.validateLink = (url) => SAFE_URL.test(url.trim());

const defaultFence = md.renderer.rules.fence!;
md.renderer.rules.fence = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const lang = token.info.trim().split(/\s+/)[0] ?? '';
  const block = defaultFence(tokens, index, options, env, self);
  const label = lang ? `<span class="code-lang">${escapeHtml(lang)}</span>` : '<span class="code-lang"></span>';
  return `<div class="code-block">${block}<div class="code-actions">${label}` +
    '<button type="button" class="code-action" data-code-action="copy" title="Copy">Copy</button>' +
    '<button type="button" class="code-action" data-code-action="insert" title="Insert at the cursor in the active editor">Insert</button>' +
    '</div></div>';
};
// Headings of an answer are sub-headings of the view.
md.renderer.rules.heading_open = (tokens, index) => `<h${Math.min(Number(tokens[index]!.tag.slice(1)) + 2, 6)}>`;
md.renderer.rules.heading_close = (tokens, index) => `</h${Math.min(Number(tokens[index]!.tag.slice(1)) + 2, 6)}>`;

export function renderMarkdown(source: string): string {
  return md.render(source);
}
