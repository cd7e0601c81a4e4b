import { z } from 'zod';
import { Slug, Timestamp, Uuid } from '../common';
import { GitSource } from './git';

export const DesiredState = z.enum(['RUNNING', 'STOPPED', 'DELETED']);
export type DesiredState = z.infer<typeof DesiredState>;

export const ProjectStatus = z.enum([
  'CREATING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED',
  'TERMINATING', 'TERMINATED', 'ERROR', 'PARTIAL',
  // Running, but its daemon cannot start processes (e.g. a fork bomb used up its pids): restart it.
  'DEGRADED',
]);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const ProjectName = z.string().trim().min(1).max(80);
export const TemplateName = z.string().regex(/^[a-z0-9-]{1,40}$/);

/** A project's PostgreSQL database goes through the same states as its sandbox (TERMINATING: being removed). */
export const DatabaseStatus = ProjectStatus.extract(['CREATING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'TERMINATING', 'ERROR']);
export type DatabaseStatus = z.infer<typeof DatabaseStatus>;
/** What a project shows of its database (`GET /api/projects/:projectId/database` says more). */
export const ProjectDatabaseSummary = z.object({ status: DatabaseStatus, statusMessage: z.string().nullable() });
export type ProjectDatabaseSummary = z.infer<typeof ProjectDatabaseSummary>;

export const Project = z.object({
  id: Uuid,
  teamId: Uuid,
  name: z.string(),
  slug: Slug,
  template: z.string(),
  desiredState: DesiredState,
  status: ProjectStatus,
  statusMessage: z.string().nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  database: ProjectDatabaseSummary.nullable().default(null).describe('its PostgreSQL database; null when it has none (or from a server without databases)'),
});
export type Project = z.infer<typeof Project>;

export const ProjectParams = z.object({ projectId: Uuid });
export const ListProjectsQuery = z.object({
  teamId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export const CreateProjectBody = z.object({
  teamId: Uuid,
  name: ProjectName,
  template: TemplateName.default('empty'),
  start: z.boolean().default(true),
  /** Clone this repository (HTTPS or SSH, with your own credentials) instead of using a template. */
  git: GitSource.optional(),
  /** A PostgreSQL database beside the sandbox (a template that needs one turns it on by itself). */
  database: z.boolean().optional(),
});
export const UpdateProjectBody = z.object({
  name: ProjectName.optional(),
  desiredState: DesiredState.exclude(['DELETED']).optional(),
  version: z.number().int().optional().describe('optimistic concurrency: fails with 409 if stale'),
});
export const ImportProjectQuery = z.object({ teamId: Uuid, name: ProjectName, start: z.stringbool().default(true), database: z.stringbool().optional() });

export const Template = z.object({ name: z.string(), title: z.string(), description: z.string(), database: z.boolean().describe('projects made from it get a PostgreSQL database') });

export const EnvKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and _, not starting with a digit');
export const EnvParams = z.object({ projectId: Uuid, key: EnvKey });
export const EnvVar = z.object({
  key: z.string(),
  value: z.string().nullable().describe('null for secrets: their value is never returned'),
  secret: z.boolean(),
  updatedAt: Timestamp,
});
export type EnvVar = z.infer<typeof EnvVar>;
export const PutEnvBody = z.object({ value: z.string().max(32 * 1024), secret: z.boolean().default(false) });

export const PreviewBody = z.object({ port: z.number().int().min(1).max(65535) });
export const Preview = z.object({
  url: z.string().describe('opens the app; carries a short-lived token that becomes a cookie on first load'),
  cleanUrl: z.string().describe('the same page without the token: show it once the launch is redeemed'),
  launchId: z.string().describe('GET /api/preview-launches/:launchId says when the browser has traded the token'),
  port: z.number().int(),
  expiresAt: Timestamp,
});
export const PreviewLaunchParams = z.object({ launchId: Uuid });
export const PreviewLaunch = z.object({ redeemed: z.boolean() });
export const ListeningPort = z.object({ port: z.number().int(), address: z.string() });

export const FileQuery = z.object({
  path: z.string().min(1).max(4096),
  offset: z.coerce.number().int().min(0).optional(),
  length: z.coerce.number().int().min(0).optional(),
});
export const WriteFileQuery = z.object({
  path: z.string().min(1).max(4096),
  createParents: z.stringbool().default(false),
});
/** Raw bytes (the response body of `files.read`): whole, or as a stream of chunks. */
export const Bytes = z.custom<Uint8Array | AsyncIterable<Uint8Array>>((v) => v instanceof Uint8Array || (typeof v === 'object' && v !== null && Symbol.asyncIterator in v), 'bytes');
