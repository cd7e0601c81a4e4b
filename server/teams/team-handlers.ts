import type { Role } from '../../protocol/common';
import type { SandboxLimits } from '../../protocol/rest/teams';
import { audit } from '../audit/audit-log';
import { newToken } from '../auth/opaque-token';
import { findUserByEmail } from '../auth/users';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { atLeast, requireRole } from './membership';
import { notifyMembershipRevoked } from '../events/membership-events';

interface TeamRow { id: string; name: string; role: Role; createdAt: Date; sandboxLimits: SandboxLimits | null }
const toTeam = (r: TeamRow) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.createdAt.toISOString(), sandboxLimits: r.sandboxLimits });

function checkWithinMax(limits: SandboxLimits, max: Required<SandboxLimits>): void {
  for (const key of ['cpus', 'memoryMb', 'pids'] as const) {
    const value = limits[key];
    if (value !== undefined && value > max[key]) throw new AppError('validation_failed', `sandboxLimits.${key}: at most ${max[key]} on this server`);
  }
}

interface MemberRow { userId: string; email: string; name: string; role: Role; joinedAt: Date }
const toMember = (r: MemberRow) => ({ userId: r.userId, email: r.email, name: r.name, role: r.role, joinedAt: r.joinedAt.toISOString() });

/** A team's members, or one of them. */
function members(services: Services, teamId: string, userId?: string) {
  return services.sql<MemberRow[]>`
    SELECT m.user_id, u.email, u.name, m.role, m.created_at AS joined_at
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.team_id = ${teamId} ${userId ? services.sql`AND m.user_id = ${userId}` : services.sql``}
    ORDER BY m.created_at`;
}

async function member(services: Services, teamId: string, userId: string): Promise<MemberRow | undefined> {
  return (await members(services, teamId, userId))[0];
}

export function teamHandlers(services: Services): Pick<Handlers, 'teams.list' | 'teams.create' | 'teams.update' | 'teams.members' | 'teams.addMember' | 'teams.updateMember' | 'teams.removeMember' | 'teams.invite' | 'teams.audit'> {
  const { sql } = services;
  return {
    'teams.list': async ({ user }) => {
      const rows = await sql<TeamRow[]>`
        SELECT t.id, t.name, m.role, t.created_at, t.sandbox_limits FROM teams t JOIN memberships m ON m.team_id = t.id
        WHERE m.user_id = ${user.id} ORDER BY t.created_at, t.id`;
      return { items: rows.map(toTeam) };
    },
    'teams.update': async ({ user, params, body }) => {
      const role = await requireRole(sql, user.id, params.teamId, 'admin');
      if (body.sandboxLimits) checkWithinMax(body.sandboxLimits, services.config.sandboxLimitsMax);
      const [row] = await sql<TeamRow[]>`
        UPDATE teams SET name = ${body.name ?? sql`name`},
          sandbox_limits = ${body.sandboxLimits === undefined ? sql`sandbox_limits` : body.sandboxLimits === null ? null : sql.json(body.sandboxLimits)}
        WHERE id = ${params.teamId} RETURNING id, name, created_at, sandbox_limits, ${role}::text AS role`;
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'team.update', detail: { name: body.name ?? null, limits: body.sandboxLimits === undefined ? null : JSON.stringify(body.sandboxLimits) } });
      return toTeam(row!);
    },
    'teams.create': async ({ user, body }) => {
      const team = await sql.begin(async (tx) => {
        const [row] = await tx<{ id: string; name: string; createdAt: Date }[]>`INSERT INTO teams (name) VALUES (${body.name}) RETURNING id, name, created_at`;
        await tx`INSERT INTO memberships (team_id, user_id, role) VALUES (${row!.id}, ${user.id}, 'owner')`;
        await audit(tx, { teamId: row!.id, actorId: user.id, action: 'team.create', target: row!.id });
        return row!;
      });
      return { id: team.id, name: team.name, role: 'owner' as const, createdAt: team.createdAt.toISOString(), sandboxLimits: null };
    },
    'teams.members': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId);
      return { items: (await members(services, params.teamId)).map(toMember) };
    },
    'teams.addMember': async ({ user, params, body }) => {
      const myRole = await requireRole(sql, user.id, params.teamId, 'admin');
      if (body.role === 'owner' && myRole !== 'owner') throw forbidden('only owners can add owners');
      const target = await findUserByEmail(sql, body.email);
      if (!target) throw notFound('user');
      const [added] = await sql`INSERT INTO memberships (team_id, user_id, role) VALUES (${params.teamId}, ${target.id}, ${body.role}) ON CONFLICT DO NOTHING RETURNING 1`;
      if (!added) throw conflict('that user is already in the team');
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'member.add', target: target.id, detail: { role: body.role } });
      return toMember((await member(services, params.teamId, target.id))!);
    },
    'teams.updateMember': async ({ user, params, body }) => {
      const myRole = await requireRole(sql, user.id, params.teamId, 'admin');
      const current = await member(services, params.teamId, params.userId);
      if (!current) throw notFound('member');
      if ((current.role === 'owner' || body.role === 'owner') && myRole !== 'owner') throw forbidden('only owners can change owners');
      await sql.begin(async (tx) => {
        await tx`SELECT 1 FROM teams WHERE id = ${params.teamId} FOR UPDATE`;
        await tx`UPDATE memberships SET role = ${body.role} WHERE team_id = ${params.teamId} AND user_id = ${params.userId}`;
        const [owners] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM memberships WHERE team_id = ${params.teamId} AND role = 'owner'`;
        if (owners!.n === 0) throw conflict('a team needs at least one owner');
        await audit(tx, { teamId: params.teamId, actorId: user.id, action: 'member.role', target: params.userId, detail: { role: body.role } });
      });
      return toMember((await member(services, params.teamId, params.userId))!);
    },
    'teams.removeMember': async ({ user, params }) => {
      const myRole = await requireRole(sql, user.id, params.teamId);
      const leaving = params.userId === user.id;
      if (!leaving && !atLeast(myRole, 'admin')) throw forbidden('this needs the admin role in the team');
      const current = await member(services, params.teamId, params.userId);
      if (!current) throw notFound('member');
      if (current.role === 'owner' && !leaving && myRole !== 'owner') throw forbidden('only owners can remove owners');
      await sql.begin(async (tx) => {
        await tx`SELECT 1 FROM teams WHERE id = ${params.teamId} FOR UPDATE`;
        await tx`DELETE FROM memberships WHERE team_id = ${params.teamId} AND user_id = ${params.userId}`;
        const [owners] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM memberships WHERE team_id = ${params.teamId} AND role = 'owner'`;
        if (owners!.n === 0) throw conflict('a team needs at least one owner');
        await audit(tx, { teamId: params.teamId, actorId: user.id, action: 'member.remove', target: params.userId });
        await notifyMembershipRevoked(tx, { userId: params.userId, teamId: params.teamId });
      });
      return { ok: true as const };
    },
    'teams.invite': async ({ user, params, body }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      const invite = newToken('inv');
      const [row] = await sql<{ expiresAt: Date }[]>`
        INSERT INTO invites (team_id, role, code_hash, created_by, expires_at)
        VALUES (${params.teamId}, ${body.role}, ${invite.hash}, ${user.id}, now() + make_interval(hours => ${body.expiresInHours}))
        RETURNING expires_at`;
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'invite.create', detail: { role: body.role } });
      return { code: invite.token, expiresAt: row!.expiresAt.toISOString() };
    },
    'teams.audit': async ({ user, params, query }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      const rows = await sql<{ id: string; at: Date; actorId: string | null; action: string; target: string | null; detail: Record<string, string | number | boolean | null> }[]>`
        SELECT id::text, at, actor_id, action, target, detail FROM audit_log
        WHERE team_id = ${params.teamId} ORDER BY id DESC LIMIT ${query.limit}`;
      return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
    },
  };
}

