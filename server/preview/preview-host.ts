/** `3000-my-app-k3x8n2.localhost:7777` → port 3000 of project `my-app-k3x8n2`, for the given domain. */
export function parsePreviewHost(host: string | undefined, domain: string): { port: number; slug: string } | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${domain}`;
  if (!name.endsWith(suffix)) return undefined;
  const match = /^(\d{1,5})-([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)$/.exec(name.slice(0, -suffix.length));
  if (!match) return undefined;
  const port = Number(match[1]);
  return port >= 1 && port <= 65535 ? { port, slug: match[2]! } : undefined;
}

export function previewOrigin(options: { port: number; slug: string; domain: string; publicUrl: string }): string {
  const base = new URL(options.publicUrl);
  base.hostname = `${options.port}-${options.slug}.${options.domain}`;
  return base.origin;
}
