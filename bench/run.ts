import { cpus, loadavg } from 'node:os';
import { dockerAnswers } from '../server/testing/docker';
import { testCluster } from '../server/testing/kubernetes';
import { ensureSandboxImage } from '../server/testing/sandbox-image';
import { stopTestCluster } from '../server/testing/postgres';
import { agentBench } from '../server/bench/agent-bench';
import { extensionFsBench } from './extension-fs-bench';
import { kubernetesBench } from '../server/bench/kubernetes-bench';
import { sandboxBench } from '../server/bench/sandbox-bench';
import { databaseBench } from '../server/bench/database-bench';
import { kubernetesDatabaseBench } from '../server/bench/kubernetes-database-bench';
import { ensureDatabaseImage } from '../server/testing/database-image';
import { table, type Row } from './stats';
import { scaleArgs } from './scale/scale-args';
import { runScale } from './scale/run-scale';

/**
 * `npm run bench`: Slipway's figures next to raw baselines measured in the same run (absolute times
 * vary on shared machines; the ratios are what to compare). The one place that runs every app's
 * bench: server/bench and extension/bench share ./stats and never import each other.
 * `npm run bench -- --scale N` runs the scale bench (./scale) instead.
 */
async function main(): Promise<void> {
  const scale = scaleArgs(process.argv.slice(2));
  if (scale) {
    console.log(await runScale(scale));
    await stopTestCluster();
    return;
  }
  const runs = Number(process.env.BENCH_RUNS ?? 10);
  // The machine may be shared: how busy it was is part of the figures.
  const loadAtStart = loadavg()[0]!;
  const rows: Row[] = [];
  if (await dockerAnswers()) {
    const image = await ensureSandboxImage();
    rows.push(...(await sandboxBench(image, runs)));
    rows.push(...(await extensionFsBench(image, runs)));
    rows.push(...(await databaseBench(image, await ensureDatabaseImage(), Math.min(runs, 5))));
  } else {
    console.error('Docker does not answer: sandbox figures skipped (bash .ci/docker.sh starts one).');
  }
  const kube = await testCluster();
  if (kube) rows.push(...(await kubernetesBench(kube, await ensureSandboxImage(), Math.min(runs, 8))));
  if (kube) rows.push(...(await kubernetesDatabaseBench(kube, await ensureSandboxImage(), await ensureDatabaseImage(), Math.min(runs, 5))));
  else console.error('No Kubernetes cluster (KUBECONFIG): Kubernetes figures skipped.');
  rows.push(...(await agentBench(Math.max(6, runs))));
  console.log(`\nSlipway bench (${new Date().toISOString()}, ${runs} runs, node ${process.version}, ${cpus().length} cores, load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end)\n`);
  console.log(table(rows));
  await stopTestCluster();
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
