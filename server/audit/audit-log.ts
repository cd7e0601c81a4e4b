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
