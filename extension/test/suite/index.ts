import { writeFileSync } from 'node:fs';

/**
 * `extensionTestsPath` entry: VS Code calls run() in the extension host. It runs the in-host suite
 * with mocha and writes a summary to $SLIPWAY_SUITE_RESULT (the e2e test reads it).
 */
export async function run(): Promise<void> {
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'dot' });
  mocha.suite.emit('pre-require', globalThis, 'in-host.suite', mocha);
  await import('./in-host.suite');
  const passed: string[] = [];
  const failed: { title: string; error: string }[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => passed.push(test.fullTitle()));
    runner.on('fail', (test, error: Error) => failed.push({ title: test.fullTitle(), error: String(error?.stack ?? error) }));
  });
  const out = process.env.SLIPWAY_SUITE_RESULT;
  if (out) writeFileSync(out, JSON.stringify({ passed, failed }, null, 2));
  if (failed.length) throw new Error(`${failed.length} in-host test(s) failed`);
}
