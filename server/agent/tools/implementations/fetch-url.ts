import type { fetchUrl } from '../definitions/fetch-url';
import { htmlToText } from '../html-to-text';
import type { ToolImplementation } from '../tool';
import { ToolFailure } from '../tool';

/** The body goes to stdout (cut by head), the status line to stderr; the URL travels in a variable. */
const SCRIPT = 'curl -sS -L --max-redirs 5 --max-time "$SLIPWAY_FETCH_SECONDS" -A "Slipway-agent" ' +
  '-w "%{stderr}\\nSLIPWAY_STATUS %{http_code} %{content_type}\\n" -- "$SLIPWAY_FETCH_URL" | head -c "$SLIPWAY_FETCH_BYTES"; ' +
  'exit ${PIPESTATUS[0]}';

const MAX_RESULT_CHARS = 60_000;

/** Fetched from inside the sandbox: it reaches what the sandbox reaches, no more. */
export const runFetchUrl: ToolImplementation<typeof fetchUrl.input> = async (input, ctx) => {
  const result = await ctx.client.call('exec.run', {
    command: ['bash', '-c', SCRIPT],
    env: { SLIPWAY_FETCH_URL: input.url, SLIPWAY_FETCH_SECONDS: String(input.timeout_seconds), SLIPWAY_FETCH_BYTES: String(input.max_bytes) },
    timeoutMs: (input.timeout_seconds + 5) * 1000,
    maxOutputBytes: input.max_bytes,
  });
  const status = /SLIPWAY_STATUS (\d{3}) ?(.*)/.exec(result.stderr);
  const curlError = result.stderr.replace(/\n?SLIPWAY_STATUS.*\n?/, '').trim();
  // 23 is curl's "write error": head stopped reading at the size limit.
  if (result.exitCode !== 0 && result.exitCode !== 23 && !(status && status[1] !== '000')) {
    throw new ToolFailure(`could not fetch ${input.url}: ${curlError || `curl exit code ${result.exitCode}`}`);
  }
  const code = Number(status?.[1] ?? 0);
  const type = status?.[2]?.trim() ?? '';
  const cut = result.exitCode === 23 || Buffer.byteLength(result.stdout) >= input.max_bytes;
  let body = result.stdout;
  if (!input.raw && (/html/i.test(type) || /^\s*<(!doctype html|html)/i.test(body))) body = htmlToText(body);
  if (body.length > MAX_RESULT_CHARS) body = `${body.slice(0, MAX_RESULT_CHARS)}\n[cut at ${MAX_RESULT_CHARS} characters]`;
  const head = `HTTP ${code}${type ? ` (${type})` : ''}${cut ? `, body cut at ${input.max_bytes} bytes` : ''}`;
  return { content: `${head}\n\n${body || '(empty body)'}`, isError: code >= 400 };
};
