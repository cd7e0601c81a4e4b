import type { SandboxLimits } from '../../protocol/rest/teams';
import { audit, recentAudit } from '../audit/audit-store';
import { newToken } from '../auth/opaque-token';
import { cancelInvitation, invitationsFor, pendingInvitationsOf, takeInvitation, upsertInvitation } from './invitation-store';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { atLeast, requireRole } from './membership';
import { notifyMembershipRevoked } from '../events/membership-events';
import { addMembership, changeMembers, createTeam, insertInviteCode, member, memberByEmail, members, teamsOfUser, updateTeam, type MemberRow, type TeamRow } from './team-store';

const toTeam = (r: TeamRow) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.createdAt.toISOString(), sandboxLimits: r.sandboxLimits });
const toMember = (r: MemberRow) => ({ userId: r.userId, email: r.email, name: r.name, role: r.role, joinedAt: r.joinedAt.toISOString() });

function checkWithinMax(limits: SandboxLimits, max: Required<SandboxLimits>): void {
  for (const key of ['cpus', 'memoryMb', 'pids'] as const) {
    const value = limits[key];
    if (value !== undefined && value > max[key]) throw new AppError('validation_failed', `sandboxLimits.${key}: at most ${max[key]} on this server`);
  }
}

const noOwner = () => conflict('a team needs at least one owner');

export function teamHandlers(services: Pick<Services, 'sql' | 'config'>): Pick<Handlers, 'teams.list' | 'teams.create' | 'teams.update' | 'teams.members' | 'teams.addMember' | 'teams.updateMember' | 'teams.removeMember' | 'teams.invite' | 'teams.audit' | 'teams.invitations' | 'teams.cancelInvitation' | 'invitations.list' | 'invitations.accept' | 'invitations.decline'> {
  const { sql } = services;
  return {
    'teams.list': async ({ user }) => ({ items: (await teamsOfUser(sql, user.id)).map(toTeam) }),
    'teams.update': async ({ user, params, body }) => {
      const role = await requireRole(sql, user.id, params.teamId, 'admin');
      if (body.sandboxLimits) checkWithinMax(body.sandboxLimits, services.config.sandboxLimitsMax);
      const row = await updateTeam(sql, params.teamId, role, body);
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'team.update', detail: { name: body.name ?? null, limits: body.sandboxLimits === undefined ? null : JSON.stringify(body.sandboxLimits) } });
      return toTeam(row);
    },
    'teams.create': async ({ user, body }) => {
      const team = await sql.begin(async (tx) => {
        const row = await createTeam(tx, body.name, user.id);
        await audit(tx, { teamId: row.id, actorId: user.id, action: 'team.create', target: row.id });
        return row;
      });
      return toTeam(team);
    },
    'teams.members': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId);
      return { items: (await members(sql, params.teamId)).map(toMember) };
    },
    // An invitation the invitee accepts: the same answer whether or not the address has an account.
    'teams.addMember': async ({ user, params, body }) => {
      const myRole = await requireRole(sql, user.id, params.teamId, 'admin');
      if (body.role === 'owner' && myRole !== 'owner') throw forbidden('only owners can add owners');
      if (await memberByEmail(sql, params.teamId, body.email)) throw conflict('that person is already in the team');
      const expiresAt = await upsertInvitation(sql, { teamId: params.teamId, email: body.email, role: body.role, invitedBy: user.id });
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'member.invite', target: body.email, detail: { role: body.role } });
      return { email: body.email, role: body.role, expiresAt: expiresAt.toISOString() };
    },
    'teams.invitations': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      return { items: await pendingInvitationsOf(sql, params.teamId) };
    },
    'teams.cancelInvitation': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      if (!await cancelInvitation(sql, params.teamId, params.invitationId)) throw notFound('invitation');
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'invite.cancel', target: params.invitationId });
      return { ok: true as const };
    },
    'invitations.list': async ({ user }) => ({ items: await invitationsFor(sql, user.email) }),
    'invitations.accept': async ({ user, params }) => {
      const team = await sql.begin(async (tx) => {
        const invitation = await takeInvitation(tx, params.invitationId, user.email);
        if (!invitation) throw notFound('invitation');
        await addMembership(tx, invitation.teamId, user.id, invitation.role);
        await audit(tx, { teamId: invitation.teamId, actorId: user.id, action: 'member.join', target: user.id, detail: { role: invitation.role } });
        return (await teamsOfUser(tx, user.id)).find((t) => t.id === invitation.teamId)!;
      });
      return toTeam(team);
    },
    'invitations.decline': async ({ user, params }) => {
      const invitation = await takeInvitation(sql, params.invitationId, user.email);
      if (!invitation) throw notFound('invitation');
      await audit(sql, { teamId: invitation.teamId, actorId: user.id, action: 'invite.decline', target: user.id });
      return { ok: true as const };
    },
    'teams.updateMember': async ({ user, params, body }) => {
      const myRole = await requireRole(sql, user.id, params.teamId, 'admin');
      const current = await member(sql, params.teamId, params.userId);
      if (!current) throw notFound('member');
      if ((current.role === 'owner' || body.role === 'owner') && myRole !== 'owner') throw forbidden('only owners can change owners');
      await sql.begin(async (tx) => {
        await changeMembers(tx, params.teamId, { setRole: { userId: params.userId, role: body.role } }, noOwner);
        await audit(tx, { teamId: params.teamId, actorId: user.id, action: 'member.role', target: params.userId, detail: { role: body.role } });
      });
      return toMember((await member(sql, params.teamId, params.userId))!);
    },
    'teams.removeMember': async ({ user, params }) => {
      const myRole = await requireRole(sql, user.id, params.teamId);
      const leaving = params.userId === user.id;
      if (!leaving && !atLeast(myRole, 'admin')) throw forbidden('this needs the admin role in the team');
      const current = await member(sql, params.teamId, params.userId);
      if (!current) throw notFound('member');
      if (current.role === 'owner' && !leaving && myRole !== 'owner') throw forbidden('only owners can remove owners');
      await sql.begin(async (tx) => {
        await changeMembers(tx, params.teamId, { remove: params.userId }, noOwner);
        await audit(tx, { teamId: params.teamId, actorId: user.id, action: 'member.remove', target: params.userId });
        await notifyMembershipRevoked(tx, { userId: params.userId, teamId: params.teamId });
      });
      return { ok: true as const };
    },
    'teams.invite': async ({ user, params, body }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      const invite = newToken('inv');
      const expiresAt = await insertInviteCode(sql, { teamId: params.teamId, role: body.role, hash: invite.hash, createdBy: user.id, hours: body.expiresInHours });
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'invite.create', detail: { role: body.role } });
      return { code: invite.token, expiresAt: expiresAt.toISOString() };
    },
    'teams.audit': async ({ user, params, query }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      const rows = await recentAudit(sql, params.teamId, query.limit);
      return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
    },
  };
}
