import type { Sql, Tx } from '../db/database';

export interface AuditEvent {
  teamId?: string | null;
  actorId?: string | null;
  /** `project.create`, `member.remove`, `auth.refresh_reuse`… */
  action: string;
  target?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

/** Appends to the audit log. Never put secret values in `detail`. */
export async function audit(db: Sql | Tx, event: AuditEvent): Promise<void> {
  await db`
    INSERT INTO audit_log (team_id, actor_id, action, target, detail)
    VALUES (${event.teamId ?? null}, ${event.actorId ?? null}, ${event.action}, ${event.target ?? null}, ${db.json(event.detail ?? {})})`;
}

export interface AuditEntryRow { id: string; at: Date; actorId: string | null; action: string; target: string | null; detail: Record<string, string | number | boolean | null> }

/** The team's most recent entries, newest first. */
export async function recentAudit(db: Sql | Tx, teamId: string, limit: number): Promise<AuditEntryRow[]> {
  return db<AuditEntryRow[]>`
    SELECT id::text, at, actor_id, action, target, detail FROM audit_log
    WHERE team_id = ${teamId} ORDER BY id DESC LIMIT ${limit}`;
}
