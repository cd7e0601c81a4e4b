import type { z } from 'zod';
import type { UsageReport } from '../../../protocol/chat';
import type { Sql } from '../../db/database';
import type { TokenUsage } from '../providers/provider';

export async function recordUsage(sql: Sql, where: { teamId: string; projectId: string; chatId: string }, model: string, usage: TokenUsage, cost: number | null): Promise<void> {
  await sql`
    INSERT INTO agent_usage (team_id, project_id, chat_id, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
    VALUES (${where.teamId}, ${where.projectId}, ${where.chatId}, ${model}, ${usage.inputTokens}, ${usage.outputTokens},
      ${usage.cacheReadTokens}, ${usage.cacheWriteTokens}, ${cost})`;
}

const TOTALS = `coalesce(sum(input_tokens), 0)::int AS input_tokens, coalesce(sum(output_tokens), 0)::int AS output_tokens,
  coalesce(sum(cache_read_tokens), 0)::int AS cache_read_tokens, coalesce(sum(cache_write_tokens), 0)::int AS cache_write_tokens,
  coalesce(sum(cost_usd), 0)::float8 AS cost_usd, count(*)::int AS requests`;

type Totals = z.infer<typeof UsageReport>['total'];

/** A team's usage since a moment, in total, per model and per chat (optionally one project's). */
export async function usageReport(sql: Sql, teamId: string, options: { since: Date; projectId?: string }): Promise<z.infer<typeof UsageReport>> {
  const where = sql`team_id = ${teamId} AND at >= ${options.since} ${options.projectId ? sql`AND project_id = ${options.projectId}` : sql``}`;
  const [total] = await sql<Totals[]>`SELECT ${sql.unsafe(TOTALS)} FROM agent_usage WHERE ${where}`;
  const byModel = await sql<(Totals & { model: string })[]>`SELECT model, ${sql.unsafe(TOTALS)} FROM agent_usage WHERE ${where} GROUP BY model ORDER BY model`;
  const byChat = await sql<(Totals & { chatId: string })[]>`
    SELECT chat_id, ${sql.unsafe(TOTALS)} FROM agent_usage WHERE ${where} AND chat_id IS NOT NULL GROUP BY chat_id ORDER BY cost_usd DESC, chat_id LIMIT 100`;
  return { total: total!, byModel: [...byModel], byChat: [...byChat] };
}
