/** `npm run bench -- --scale [N] [--concurrency C] [--compare-concurrency C2] [--idle S] [--kube-scale K]`: undefined without --scale. */
export function scaleArgs(argv: string[]): { n: number; concurrency: number; compareConcurrency: number; idleSeconds: number; kubeN: number } | undefined {
  const at = argv.indexOf('--scale');
  if (at < 0) return undefined;
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} takes a positive whole number`);
    return v;
  };
  const given = Number(argv[at + 1]);
  // The default fits a CI-sized run (a few minutes); 500 is the goal's size.
  const n = Number.isInteger(given) && given > 0 ? given : 40;
  // The server's default concurrency (8), compared with the one before it (4).
  return { n, concurrency: value('--concurrency', 8), compareConcurrency: value('--compare-concurrency', 4), idleSeconds: value('--idle', 15), kubeN: value('--kube-scale', Math.min(n, 12)) };
}
