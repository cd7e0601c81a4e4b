import type Docker from 'dockerode';

/** The HTTP status of a failed Docker API call (404 missing, 304 nothing to do, 409 conflict). */
export const statusCode = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

/** A container's inspection, or undefined when it does not exist. */
export async function inspectOrMissing(container: Docker.Container): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await container.inspect();
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

/** Removes a volume; nothing to remove is fine. A container removal still in progress holds it for a moment. */
export async function removeVolume(docker: Docker, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await docker.getVolume(name).remove();
      return;
    } catch (error) {
      if (statusCode(error) === 404) return;
      if (statusCode(error) !== 409 || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Creates a volume unless it exists. */
export async function ensureVolume(docker: Docker, name: string, labels: Record<string, string>): Promise<void> {
  try {
    await docker.getVolume(name).inspect();
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
    await docker.createVolume({ Name: name, Labels: labels });
  }
}

/** Docker's RFC 3339 times with up to nanoseconds (trailing zeros trimmed), as comparable nanoseconds. */
export function nanosOf(time: string): bigint {
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return 0n;
  const ms = Date.parse(`${match[1]}${match[3]}`);
  return Number.isNaN(ms) ? 0n : BigInt(ms) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0').slice(0, 9));
}
