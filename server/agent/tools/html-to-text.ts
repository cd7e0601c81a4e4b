import { compile, type FormatCallback } from 'html-to-text';

/** Headings as Markdown (`# Title`), so the model sees the page's outline. */
const heading = (level: number): FormatCallback => (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addInline(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

const convert = compile({
  wordwrap: false,
  // A non-breaking space is a space to the model.
  whitespaceCharacters: ' \t\r\n\f\u200b\u00a0',
  formatters: Object.fromEntries([1, 2, 3, 4, 5, 6].map((level) => [`h${level}`, heading(level)])),
  selectors: [
    ...[1, 2, 3, 4, 5, 6].map((level) => ({ selector: `h${level}`, format: `h${level}` })),
    { selector: 'a', options: { linkBrackets: ['(', ')'] as [string, string], hideLinkHrefIfSameAsText: true, ignoreHref: false, noAnchorUrl: true } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'img', format: 'skip' },
    { selector: 'nav', format: 'block' },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ...['script', 'style', 'noscript', 'svg', 'template', 'head'].map((selector) => ({ selector, format: 'skip' })),
  ],
});

/**
 * Readable text from an HTML page (html-to-text): scripts, styles and markup dropped, block
 * elements on lines of their own, links kept as "text (url)", entities decoded, whitespace collapsed.
 */
export function htmlToText(html: string): string {
  return convert(html).replace(/\n{3,}/g, '\n\n').trim();
}
