import { z } from 'zod';
import { Ok } from '../common';
import * as C from '../chat';
import * as M from '../chat-models';
import * as A from './auth';
import { databaseRestRoutes } from './database';
import { gitRestRoutes } from './git';
import { mcpRestRoutes } from './mcp';
import * as P from './projects';
import * as T from './teams';
import { Entry } from '../daemon/fs';
import { route } from './route';

/** The REST API: route name -> definition. Server, OpenAPI document and clients all read this map. */
export const restRoutes = {
  'auth.signUp': route({ method: 'POST', path: '/api/auth/signup', summary: 'Create an account', auth: 'none', body: A.SignUpBody, response: A.Session, status: 201, rateLimit: 'auth' }),
  'auth.signIn': route({ method: 'POST', path: '/api/auth/signin', summary: 'Sign in with email and password', auth: 'none', body: A.SignInBody, response: A.Session, rateLimit: 'auth' }),
  'auth.refresh': route({ method: 'POST', path: '/api/auth/refresh', summary: 'Trade a refresh token for a new session (rotates it)', auth: 'none', body: A.RefreshBody, response: A.Session, rateLimit: 'auth' }),
  'auth.redeem': route({ method: 'POST', path: '/api/auth/redeem', summary: 'Trade a one-time sign-in token for a session', auth: 'none', body: A.RedeemBody, response: A.Session, rateLimit: 'auth' }),
  'auth.signOut': route({ method: 'POST', path: '/api/auth/signout', summary: 'Revoke a refresh token and its family', auth: 'none', body: A.RefreshBody, response: Ok }),
  'me.get': route({ method: 'GET', path: '/api/me', summary: 'The signed-in user and their teams', auth: 'user', response: A.Me }),

  'tokens.list': route({ method: 'GET', path: '/api/tokens', summary: 'List your API tokens', auth: 'user', response: z.object({ items: z.array(A.ApiTokenInfo) }) }),
  'tokens.create': route({ method: 'POST', path: '/api/tokens', summary: 'Create an API token (shown once)', auth: 'user', body: A.CreateApiTokenBody, response: A.CreatedApiToken, status: 201 }),
  'tokens.revoke': route({ method: 'DELETE', path: '/api/tokens/:tokenId', summary: 'Revoke an API token', auth: 'user', params: A.TokenParams, response: Ok }),

  'teams.list': route({ method: 'GET', path: '/api/teams', summary: 'Teams you belong to', auth: 'user', response: z.object({ items: z.array(T.Team) }) }),
  'teams.create': route({ method: 'POST', path: '/api/teams', summary: 'Create a team (you become its owner)', auth: 'user', body: T.CreateTeamBody, response: T.Team, status: 201 }),
  'teams.update': route({ method: 'PATCH', path: '/api/teams/:teamId', summary: 'Rename a team or set its sandbox limits (admins)', auth: 'user', params: T.TeamParams, body: T.UpdateTeamBody, response: T.Team }),
  'teams.members': route({ method: 'GET', path: '/api/teams/:teamId/members', summary: 'Members of a team', auth: 'user', params: T.TeamParams, response: z.object({ items: z.array(T.Member) }) }),
  'teams.addMember': route({ method: 'POST', path: '/api/teams/:teamId/members', summary: 'Invite someone by email (they join when they accept; the answer is the same whether or not the address has an account)', auth: 'user', params: T.TeamParams, body: T.AddMemberBody, response: T.SentInvitation, status: 202, rateLimit: 'invite' }),
  'teams.updateMember': route({ method: 'PATCH', path: '/api/teams/:teamId/members/:userId', summary: 'Change a member\'s role', auth: 'user', params: T.MemberParams, body: T.UpdateMemberBody, response: T.Member }),
  'teams.removeMember': route({ method: 'DELETE', path: '/api/teams/:teamId/members/:userId', summary: 'Remove a member', auth: 'user', params: T.MemberParams, response: Ok }),
  'teams.invite': route({ method: 'POST', path: '/api/teams/:teamId/invites', summary: 'Create a one-time invite code', auth: 'user', params: T.TeamParams, body: T.CreateInviteBody, response: T.Invite, status: 201, rateLimit: 'invite' }),
  'teams.invitations': route({ method: 'GET', path: '/api/teams/:teamId/invitations', summary: 'Pending invitations of a team (admins)', auth: 'user', params: T.TeamParams, response: z.object({ items: z.array(T.PendingInvitation) }) }),
  'teams.cancelInvitation': route({ method: 'DELETE', path: '/api/teams/:teamId/invitations/:invitationId', summary: 'Withdraw a pending invitation (admins)', auth: 'user', params: T.TeamInvitationParams, response: Ok }),
  'teams.cluster.get': route({ method: 'GET', path: '/api/teams/:teamId/cluster', summary: 'The team\'s own Kubernetes cluster, if registered (admins; never the credentials)', auth: 'user', params: T.TeamParams, response: T.TeamCluster }),
  'teams.cluster.put': route({ method: 'PUT', path: '/api/teams/:teamId/cluster', summary: 'Register the team\'s own Kubernetes cluster (admins; validated, then sealed; applies to sandboxes started afterwards)', auth: 'user', params: T.TeamParams, body: T.PutTeamClusterBody, response: T.TeamCluster }),
  'teams.cluster.delete': route({ method: 'DELETE', path: '/api/teams/:teamId/cluster', summary: 'Use the server\'s cluster again (admins; applies to sandboxes started afterwards)', auth: 'user', params: T.TeamParams, response: T.TeamCluster }),
  'invitations.list': route({ method: 'GET', path: '/api/invitations', summary: 'Your pending invitations to teams', auth: 'user', response: z.object({ items: z.array(T.Invitation) }) }),
  'invitations.accept': route({ method: 'POST', path: '/api/invitations/:invitationId/accept', summary: 'Accept an invitation: join the team', auth: 'user', params: T.InvitationParams, response: T.Team }),
  'invitations.decline': route({ method: 'POST', path: '/api/invitations/:invitationId/decline', summary: 'Decline an invitation', auth: 'user', params: T.InvitationParams, response: Ok }),
  'teams.audit': route({ method: 'GET', path: '/api/teams/:teamId/audit', summary: 'Recent audit log of a team (admins)', auth: 'user', params: T.TeamParams, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }), response: z.object({ items: z.array(T.AuditEntry) }) }),

  'templates.list': route({ method: 'GET', path: '/api/templates', summary: 'Project templates', auth: 'user', response: z.object({ items: z.array(P.Template) }) }),
  'projects.list': route({ method: 'GET', path: '/api/projects', summary: 'Projects of your teams, newest first', auth: 'user', query: P.ListProjectsQuery, response: z.object({ items: z.array(P.Project), nextCursor: z.string().nullable() }) }),
  'projects.create': route({ method: 'POST', path: '/api/projects', summary: 'Create a project from a template (returns at once)', auth: 'user', body: P.CreateProjectBody, response: P.Project, status: 201, rateLimit: 'create' }),
  'projects.import': route({ method: 'POST', path: '/api/projects/import', summary: 'Create a project from an uploaded ZIP (application/zip body)', auth: 'user', query: P.ImportProjectQuery, bodyType: 'zip', response: P.Project, status: 201, rateLimit: 'import' }),
  'projects.get': route({ method: 'GET', path: '/api/projects/:projectId', summary: 'One project', auth: 'user', params: P.ProjectParams, response: P.Project }),
  'projects.update': route({ method: 'PATCH', path: '/api/projects/:projectId', summary: 'Rename, or set the desired state', auth: 'user', params: P.ProjectParams, body: P.UpdateProjectBody, response: P.Project }),
  'projects.start': route({ method: 'POST', path: '/api/projects/:projectId/start', summary: 'Ask for the sandbox to run (returns at once)', auth: 'user', params: P.ProjectParams, response: P.Project, status: 202 }),
  'projects.stop': route({ method: 'POST', path: '/api/projects/:projectId/stop', summary: 'Ask for the sandbox to stop (returns at once)', auth: 'user', params: P.ProjectParams, response: P.Project, status: 202 }),
  'projects.restart': route({ method: 'POST', path: '/api/projects/:projectId/restart', summary: 'Restart the sandbox (a stuck or degraded one), keeping its workspace (returns at once)', auth: 'user', params: P.ProjectParams, response: P.Project, status: 202 }),
  'projects.delete': route({ method: 'DELETE', path: '/api/projects/:projectId', summary: 'Delete a project, its sandbox and its database with all its data (returns at once; GET .../deletion says what goes)', auth: 'user', params: P.ProjectParams, response: P.Project, status: 202 }),

  'projects.ports': route({ method: 'GET', path: '/api/projects/:projectId/ports', summary: 'TCP ports listening in the sandbox (for the preview)', auth: 'user', params: P.ProjectParams, response: z.object({ items: z.array(P.ListeningPort) }) }),
  'previews.launch': route({ method: 'GET', path: '/api/preview-launches/:launchId', summary: 'Whether the browser has traded a preview link\'s token for its cookie (yours only)', auth: 'user', params: P.PreviewLaunchParams, response: P.PreviewLaunch }),
  'projects.preview': route({ method: 'POST', path: '/api/projects/:projectId/preview', summary: 'A preview URL for a port of the sandbox (team members only)', auth: 'user', params: P.ProjectParams, body: P.PreviewBody, response: P.Preview, status: 201 }),

  'files.read': route({ method: 'GET', path: '/api/projects/:projectId/files', summary: 'A workspace file\'s bytes (optionally a range)', auth: 'user', params: P.ProjectParams, query: P.FileQuery, response: P.Bytes, responseType: 'bytes' }),
  'files.write': route({ method: 'PUT', path: '/api/projects/:projectId/files', summary: 'Replace (or create) a workspace file atomically; the body is its bytes', auth: 'user', params: P.ProjectParams, query: P.WriteFileQuery, bodyType: 'bytes', response: Entry }),

  'env.list': route({ method: 'GET', path: '/api/projects/:projectId/env', summary: 'Environment variables (secret values hidden)', auth: 'user', params: P.ProjectParams, response: z.object({ items: z.array(P.EnvVar) }) }),
  'env.put': route({ method: 'PUT', path: '/api/projects/:projectId/env/:key', summary: 'Set an environment variable', auth: 'user', params: P.EnvParams, body: P.PutEnvBody, response: P.EnvVar }),
  'env.delete': route({ method: 'DELETE', path: '/api/projects/:projectId/env/:key', summary: 'Remove an environment variable', auth: 'user', params: P.EnvParams, response: Ok }),

  'agent.model.get': route({ method: 'GET', path: '/api/teams/:teamId/model', summary: 'The AI model the team\'s agent uses (never the key)', auth: 'user', params: T.TeamParams, response: C.ModelSettings }),
  'agent.model.put': route({ method: 'PUT', path: '/api/teams/:teamId/model', summary: 'Set the team\'s AI model and API key (admins; the key is encrypted)', auth: 'user', params: T.TeamParams, body: C.PutModelSettingsBody, response: C.ModelSettings }),
  'agent.model.delete': route({ method: 'DELETE', path: '/api/teams/:teamId/model', summary: 'Use the server\'s default model again (admins)', auth: 'user', params: T.TeamParams, response: C.ModelSettings }),
  'agent.models.list': route({ method: 'GET', path: '/api/teams/:teamId/models', summary: 'The models the team\'s chats can choose, with context window and price', auth: 'user', params: T.TeamParams, response: z.object({ items: z.array(M.ModelOption) }) }),
  'agent.models.add': route({ method: 'POST', path: '/api/teams/:teamId/models', summary: 'Add a named model for chats to choose (admins; the key is encrypted)', auth: 'user', params: T.TeamParams, body: M.AddTeamModelBody, response: M.ModelOption, status: 201 }),
  'agent.models.delete': route({ method: 'DELETE', path: '/api/teams/:teamId/models/:modelId', summary: 'Remove a named model (admins; chats that chose it get a clear error)', auth: 'user', params: M.TeamModelParams, response: z.object({ ok: z.literal(true) }) }),
  'agent.usage': route({ method: 'GET', path: '/api/teams/:teamId/usage', summary: 'Tokens and cost of the team\'s agent', auth: 'user', params: T.TeamParams, query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30), projectId: z.uuid().optional() }), response: C.UsageReport }),
  'agent.settings.get': route({ method: 'GET', path: '/api/projects/:projectId/agent', summary: 'Approvals and checks of the project\'s agent', auth: 'user', params: P.ProjectParams, response: C.ProjectAgentSettings }),
  'agent.settings.put': route({ method: 'PUT', path: '/api/projects/:projectId/agent', summary: 'Change approvals (auto/ask per category) and verify checks', auth: 'user', params: P.ProjectParams, body: C.PutProjectAgentSettingsBody, response: C.ProjectAgentSettings }),
  'chats.list': route({ method: 'GET', path: '/api/projects/:projectId/chats', summary: 'Chats of a project (the WebSocket has the same and more)', auth: 'user', params: P.ProjectParams, response: z.object({ items: z.array(C.Chat) }) }),
  'chats.create': route({ method: 'POST', path: '/api/projects/:projectId/chats', summary: 'Start a chat with the agent', auth: 'user', params: P.ProjectParams, body: z.object({ title: z.string().trim().min(1).max(200).optional() }), response: C.Chat, status: 201 }),
  'chats.send': route({ method: 'POST', path: '/api/chats/:chatId/messages', summary: 'Send a prompt; the agent works in the background (watch it on the WebSocket or poll events)', auth: 'user', params: z.object({ chatId: z.uuid() }), body: C.SendMessage, response: z.object({ turnId: z.uuid() }), status: 202 }),
  'chats.events': route({ method: 'GET', path: '/api/chats/:chatId/events', summary: 'Events of a chat after a sequence number', auth: 'user', params: z.object({ chatId: z.uuid() }), query: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(500) }), response: z.object({ items: z.array(C.ChatEvent), chat: C.Chat }) }),
  ...gitRestRoutes,
  ...mcpRestRoutes,
  ...databaseRestRoutes,
} as const;

export type RestRoutes = typeof restRoutes;
export type RouteName = keyof RestRoutes;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
/** What a handler gets: a ZIP whole, a file's bytes as a stream, else the parsed JSON body. */
export type RouteBody<N extends RouteName> = RestRoutes[N] extends { bodyType: 'zip' } ? Uint8Array : RestRoutes[N] extends { bodyType: 'bytes' } ? AsyncIterable<Uint8Array> : RestRoutes[N] extends { body: infer B } ? Infer<B> : undefined;
export type RouteParams<N extends RouteName> = RestRoutes[N] extends { params: infer S } ? Infer<S> : Record<string, never>;
export type RouteQuery<N extends RouteName> = RestRoutes[N] extends { query: infer S } ? Infer<S> : Record<string, never>;
export type RouteResponse<N extends RouteName> = z.infer<RestRoutes[N]['response']>;
