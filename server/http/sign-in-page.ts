import type Router from '@koa/router';

/**
 * `/signin#token=…`: the page the first-run link opens. The token stays in the URL fragment, so it
 * never reaches server logs or proxies; the page hands it to VS Code or shows it for pasting.
 */
export function signInPage(router: Router): void {
  router.get('/signin', (ctx) => {
    ctx.set('Content-Security-Policy', "default-src 'none'; script-src 'sha256-" + SCRIPT_HASH + "'; style-src 'unsafe-inline'");
    ctx.type = 'html';
    ctx.body = PAGE;
  });
}

const SCRIPT = `const t=new URLSearchParams(location.hash.slice(1)).get('token')||'';document.getElementById('token').textContent=t||'(no token in this link)';const a=document.getElementById('open');a.href='vscode://slipway.slipway/signin?server='+encodeURIComponent(location.origin)+'&token='+encodeURIComponent(t);history.replaceState(null,'',location.pathname);`;

import { createHash } from 'node:crypto';
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to Slipway</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{word-break:break-all;background:#8882;padding:.2rem .4rem;border-radius:4px}a.button{display:inline-block;padding:.5rem 1rem;background:#0e639c;color:#fff;border-radius:4px;text-decoration:none}</style>
</head><body><h1>Sign in to Slipway</h1>
<p><a class="button" id="open" href="#">Open in VS Code</a></p>
<p>Or run <b>Slipway: Sign In</b> in VS Code and paste this one-time token:</p>
<p><code id="token"></code></p>
<p>The token works once, for 24 hours.</p>
<script>${SCRIPT}</script></body></html>`;
