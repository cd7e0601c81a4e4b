import { z } from 'zod';
import { Role, Timestamp, Uuid } from '../common';

/** Limits of a team's sandboxes; what is left out falls back to the server's defaults. */
export const SandboxLimits = z.object({
  cpus: z.number().positive().max(256).optional(),
  memoryMb: z.number().int().min(128).max(1024 * 1024).optional(),
  pids: z.number().int().min(32).max(1_000_000).optional(),
});
export type SandboxLimits = z.infer<typeof SandboxLimits>;

export const Team = z.object({ id: Uuid, name: z.string(), role: Role, createdAt: Timestamp, sandboxLimits: SandboxLimits.nullable() });
export type Team = z.infer<typeof Team>;
export const CreateTeamBody = z.object({ name: z.string().trim().min(1).max(100) });
export const TeamParams = z.object({ teamId: Uuid });
export const UpdateTeamBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  sandboxLimits: SandboxLimits.nullable().optional().describe('null restores the server defaults; applies when a sandbox next starts'),
});
export const MemberParams = z.object({ teamId: Uuid, userId: Uuid });

export const Member = z.object({
  userId: Uuid,
  email: z.string(),
  name: z.string(),
  role: Role,
  joinedAt: Timestamp,
});
export const AddMemberBody = z.object({ email: z.email().max(254), role: Role.default('member') });
/** The answer to inviting someone: the same whether or not the address has an account. */
export const SentInvitation = z.object({ email: z.string(), role: Role, expiresAt: Timestamp });
/** An invitation to join a team, as its invitee sees it. */
export const Invitation = z.object({
  id: Uuid,
  teamId: Uuid,
  teamName: z.string(),
  role: Role,
  invitedBy: z.string().nullable().describe('name of who invited you'),
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
export type Invitation = z.infer<typeof Invitation>;
export const InvitationParams = z.object({ invitationId: Uuid });
export const TeamInvitationParams = z.object({ teamId: Uuid, invitationId: Uuid });
/** A pending invitation, as the team's admins see it. */
export const PendingInvitation = z.object({ id: Uuid, email: z.string(), role: Role, createdAt: Timestamp, expiresAt: Timestamp });
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

/** A team's own Kubernetes cluster for its sandboxes (admins): the kubeconfig is sealed at rest and never shown again. */
export const PutTeamClusterBody = z.object({
  kubeconfig: z.string().min(1).max(64 * 1024).describe('a kubeconfig (YAML) whose current context reaches the cluster; no exec or auth-provider plugins, no file paths'),
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name').describe('an existing namespace where the credentials may create pods, secrets and claims'),
});
export const TeamCluster = z.object({
  configured: z.boolean(),
  server: z.string().nullable().describe("the cluster's API server URL"),
  cluster: z.string().nullable().describe("the cluster's name in the kubeconfig"),
  namespace: z.string().nullable(),
  updatedAt: Timestamp.nullable(),
});
export type TeamCluster = z.infer<typeof TeamCluster>;
