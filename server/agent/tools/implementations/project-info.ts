import type { projectInfo } from '../definitions/project-info';
import type { ToolImplementation } from '../tool';
import { detectStack } from './detect-stack';
import { probeDatabase } from '../../../projects/database-probe';

export const runProjectInfo: ToolImplementation<typeof projectInfo.input> = async (_input, ctx) => {
  const [listing, processes, ports, database] = await Promise.all([
    ctx.client.call('fs.list', { path: '.', recursive: true, maxDepth: 2, gitignore: true, limit: 300 }),
    ctx.client.call('exec.list', {}),
    ctx.client.call('ports.list', {}),
    ctx.project.database ? probeDatabase(ctx.client, { tables: true }) : undefined,
  ]);
  const names = listing.entries.map((e) => (e.type === 'directory' ? `${e.path}/` : e.path)).sort();
  const packageJson = names.includes('package.json') ? await ctx.client.readText('package.json').catch(() => undefined) : undefined;
  const stack = detectStack(names, packageJson);
  const running = processes.processes.filter((p) => p.running);
  const seen = new Set<number>();
  const listening = ports.ports.filter((p) => p.port !== ctx.daemonPort && !seen.has(p.port) && seen.add(p.port));
  return [
    `Project "${ctx.project.name}" — workspace root is the current directory of every command.`,
    `Stack: ${stack.length ? stack.join('; ') : 'nothing detected yet (empty project?)'}`,
    `Files (2 levels${listing.truncated ? ', cut' : ''}):\n${names.length ? names.map((n) => `  ${n}`).join('\n') : '  (none)'}`,
    `Running processes:\n${running.length ? running.map((p) => `  ${p.processId} ${typeof p.command === 'string' ? p.command : p.command.join(' ')}`).join('\n') : '  (none)'}`,
    `Listening ports:\n${listening.length ? listening.map((p) => `  ${p.port} → preview ${ctx.previewOrigin(p.port)}`).join('\n') : '  (none)'}`,
    `Database: ${describeDatabase(database)}`,
  ].join('\n');
};

const describeDatabase = (probe: Awaited<ReturnType<typeof probeDatabase>> | undefined): string => {
  if (!probe) return 'none (the user can add a PostgreSQL database to the project)';
  if (!probe.reachable) return `PostgreSQL, NOT reachable now (${probe.error ?? 'no answer'}); DATABASE_URL is set`;
  const tables = probe.tables?.length ? probe.tables.join(', ') : '(no tables yet)';
  return `PostgreSQL ${probe.version ?? ''}, reachable through DATABASE_URL (psql works as is); tables: ${tables}`;
};
