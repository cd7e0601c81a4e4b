import { z } from 'zod';
import { Role, Timestamp, Uuid } from '../common';

export const Team = z.object({ id: Uuid, name: z.string(), role: Role, createdAt: Timestamp });
export type Team = z.infer<typeof Team>;
export const CreateTeamBody = z.object({ name: z.string().trim().min(1).max(100) });
export const TeamParams = z.object({ teamId: Uuid });
export const MemberParams = z.object({ teamId: Uuid, userId: Uuid });

export const Member = z.object({
  userId: Uuid,
  email: z.string(),
  name: z.string(),
  role: Role,
  joinedAt: Timestamp,
});
export const AddMemberBody = z.object({ email: z.email().max(254), role: Role.default('member') });
export const UpdateMemberBody = z.object({ role: Role });

export const CreateInviteBody = z.object({
  role: Role.exclude(['owner']).default('member'),
  expiresInHours: z.number().int().min(1).max(24 * 30).default(72),
});
export const Invite = z.object({ code: z.string().describe('shown once'), expiresAt: Timestamp });

export const AuditEntry = z.object({
  id: z.string(),
  at: Timestamp,
  actorId: Uuid.nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
