import { fsBench } from './fs-bench';

/**
 * `fsBench` in a process of its own, as the extension host is one: VS Code's client and the server
 * never share a thread, so the bench does not make them. Reads the server, token, project and runs
 * from the environment (never argv: the token) and prints the rows as JSON on stdout.
 */
async function main(): Promise<void> {
  const { BENCH_SERVER_URL: url, BENCH_TOKEN: token, BENCH_PROJECT_ID: projectId, BENCH_FS_RUNS: runs } = process.env;
  if (!url || !token || !projectId) throw new Error('BENCH_SERVER_URL, BENCH_TOKEN and BENCH_PROJECT_ID are required');
  process.stdout.write(JSON.stringify(await fsBench(url, token, projectId, Number(runs ?? 200))));
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
