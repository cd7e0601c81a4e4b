/** Runs `each(0..n-1)` with at most `width` under way at once. */
export async function parallel(n: number, width: number, each: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) await each(next++);
  }));
}
