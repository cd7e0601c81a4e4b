import { randomBytes } from 'node:crypto';

export interface ChatPageInput {
  /** `webview.cspSource`: where the view may load its own script, styles and fonts from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export const newNonce = (): string => randomBytes(18).toString('base64');

/** The chat view's page: nothing but our bundle runs (nonce), nothing is fetched from elsewhere. */
export function chatPage(input: ChatPageInput): { html: string; nonce: string } {
  const nonce = input.nonce ?? newNonce();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${input.cspSource}`,
    `font-src ${input.cspSource}`,
    `img-src ${input.cspSource} data:`,
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escape(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escape(input.styleUri)}">
<title>Slipway Chat</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${escape(input.scriptUri)}"></script>
</body>
</html>`;
  return { html, nonce };
}

const escape = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
