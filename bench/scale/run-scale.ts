import { execFileSync } from 'node:child_process';
import { dockerAnswers } from '../../server/testing/docker';
import { requireImageInCluster, testCluster, testKubernetesRuntime } from '../../server/testing/kubernetes';
import { ensureSandboxImage } from '../../server/testing/sandbox-image';
import { dockerTarget } from './docker-target';
import { cgroupLayout } from './host-probe';
import { kubernetesTarget } from './kubernetes-target';
import { scaleBench } from './scale-bench';
import { machineLine, scaleReport } from './scale-report';
import type { scaleArgs } from './scale-args';

/** `npm run bench -- --scale N`: the scale bench on Docker, then (smaller) on Kubernetes if a cluster is configured. */
export async function runScale(args: NonNullable<ReturnType<typeof scaleArgs>>): Promise<string> {
  const sections: string[] = [];
  const image = await ensureSandboxImage();
  const dockerVersion = (() => {
    try { return `Docker ${execFileSync('docker', ['version', '-f', '{{.Server.Version}}']).toString().trim()}`; } catch { return 'no Docker'; }
  })();
  sections.push(`## Slipway scale bench (${new Date().toISOString()})`, '', `Machine: ${machineLine(dockerVersion)}.`, '');
  const options = { concurrency: args.concurrency, compareConcurrency: args.compareConcurrency, idleSeconds: args.idleSeconds, samples: 200, serial: 5 };
  if (await dockerAnswers()) {
    const result = await scaleBench(dockerTarget(), image, { ...options, n: args.n });
    sections.push(scaleReport(result, `the sum over the sandboxes' containers of what \`docker stats\` counts, read from the ${await cgroupLayout()} memory controller (usage − inactive file cache), divided by their number`), '');
  } else {
    sections.push('Docker does not answer: the Docker scale bench was skipped (bash .ci/docker.sh starts one).', '');
  }
  const kube = await testCluster();
  if (kube) {
    await requireImageInCluster(kube, image);
    const { runtime } = await testKubernetesRuntime({ reach: 'pod-ip' });
    try {
      const result = await scaleBench(kubernetesTarget(kube, runtime), image, { ...options, serial: 3, n: args.kubeN, compareConcurrency: undefined });
      sections.push(scaleReport(result, 'the same, read from the pods\' cgroups on the node (the daemon\'s container and the pod\'s pause container)'), '');
    } finally {
      await runtime.close();
    }
  } else {
    sections.push('No Kubernetes cluster (KUBECONFIG): the Kubernetes scale bench was skipped.');
  }
  return sections.join('\n');
}
