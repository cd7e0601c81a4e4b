import type { ProjectStatus } from '../../protocol/rest/projects';

const TRANSITIONAL: ProjectStatus[] = ['STARTING', 'STOPPING', 'TERMINATING'];

/**
 * A project's status from its resources' statuses (sandbox, later its database…), by precedence:
 * any ERROR → ERROR; any CREATING → CREATING; all equal → that status; any transitional → the
 * first transitional one; otherwise the resources disagree in stable states → PARTIAL.
 */
export function aggregateStatus(resources: ProjectStatus[]): ProjectStatus {
  if (resources.length === 0) return 'TERMINATED';
  if (resources.includes('ERROR')) return 'ERROR';
  if (resources.includes('CREATING')) return 'CREATING';
  const first = resources[0]!;
  if (resources.every((s) => s === first)) return first;
  const transitional = resources.find((s) => TRANSITIONAL.includes(s));
  return transitional ?? 'PARTIAL';
}
