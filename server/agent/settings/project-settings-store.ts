import type { z } from 'zod';
import type { ApprovalCategory, ApprovalMode, ProjectAgentSettings, PutProjectAgentSettingsBody } from '../../../protocol/chat';
import type { Sql } from '../../db/database';

/**
 * The sandbox is the security boundary, so by default the agent reads, writes, runs commands and
 * fetches URLs inside it without asking. Teams that want a say switch categories to `ask`. An MCP
 * server's tools that it does not mark read-only may act outside the sandbox (a SaaS API), so they ask.
 */
export const DEFAULT_APPROVALS: Record<ApprovalCategory, ApprovalMode> = { read: 'auto', write: 'auto', execute: 'auto', network: 'auto', publish: 'ask', mcp: 'ask' };
export const DEFAULT_REPAIR_ROUNDS = 2;

interface Row {
  approvals: Partial<Record<ApprovalCategory, ApprovalMode>>;
  checks: ProjectAgentSettings['checks'];
  maxRepairRounds: number;
}

export async function projectAgentSettings(sql: Sql, projectId: string): Promise<ProjectAgentSettings> {
  const [row] = await sql<Row[]>`SELECT approvals, checks, max_repair_rounds FROM project_agent_settings WHERE project_id = ${projectId}`;
  return {
    approvals: { ...DEFAULT_APPROVALS, ...row?.approvals },
    checks: row?.checks ?? [],
    maxRepairRounds: row?.maxRepairRounds ?? DEFAULT_REPAIR_ROUNDS,
  };
}

export async function updateProjectAgentSettings(sql: Sql, projectId: string, body: z.infer<typeof PutProjectAgentSettingsBody>): Promise<ProjectAgentSettings> {
  const current = await projectAgentSettings(sql, projectId);
  const next: ProjectAgentSettings = {
    approvals: { ...current.approvals, ...body.approvals },
    checks: body.checks ?? current.checks,
    maxRepairRounds: body.maxRepairRounds ?? current.maxRepairRounds,
  };
  await sql`
    INSERT INTO project_agent_settings (project_id, approvals, checks, max_repair_rounds)
    VALUES (${projectId}, ${sql.json(next.approvals)}, ${sql.json(next.checks)}, ${next.maxRepairRounds})
    ON CONFLICT (project_id) DO UPDATE SET approvals = excluded.approvals, checks = excluded.checks,
      max_repair_rounds = excluded.max_repair_rounds, updated_at = now()`;
  return next;
}
