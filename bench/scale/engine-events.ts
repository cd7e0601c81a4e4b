import type Docker from 'dockerode';
import { LABEL } from '../../server/runtime/docker/container-spec';

/** When the engine finished creating and starting each project's container, by project id (epoch ms). */
export interface EngineTimes {
  created: Map<string, number>;
  started: Map<string, number>;
  stop(): void;
}

interface EngineEvent {
  Type?: string;
  Action?: string;
  timeNano?: number;
  Actor?: { Attributes?: Record<string, string> };
}

/**
 * Follows the Docker engine's event stream for one installation's containers: the engine's own
 * timestamps split "Docker create/start" in the breakdown without timing code in the runtime.
 */
export async function followEngine(docker: Docker, installation: string): Promise<EngineTimes> {
  const times: EngineTimes = { created: new Map(), started: new Map(), stop: () => {} };
  const stream = await docker.getEvents({ filters: JSON.stringify({ type: ['container'], label: [`${LABEL.installation}=${installation}`], event: ['create', 'start'] }) }) as NodeJS.ReadableStream & { destroy(): void };
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      const event = JSON.parse(line) as EngineEvent;
      const project = event.Actor?.Attributes?.[LABEL.project];
      if (!project || !event.timeNano) continue;
      const at = event.timeNano / 1e6;
      // The first of each: a sandbox restarted later starts again.
      if (event.Action === 'create' && !times.created.has(project)) times.created.set(project, at);
      if (event.Action === 'start' && !times.started.has(project)) times.started.set(project, at);
    }
  });
  stream.on('error', () => {});
  times.stop = () => stream.destroy();
  return times;
}
