import { z } from 'zod';
import { Timestamp } from '../common';
import { WorkspacePath } from '../daemon/paths';
import { DatabaseStatus, ProjectParams } from './projects';
import { route } from './route';

/**
 * A project's PostgreSQL database: it runs beside the sandbox, on the sandbox's 127.0.0.1:5432,
 * reachable from that sandbox only. Its processes find it in DATABASE_URL and PGHOST, PGPORT,
 * PGUSER, PGPASSWORD, PGDATABASE.
 */
export const ProjectDatabase = z.object({
  engine: z.literal('postgresql'),
  status: DatabaseStatus,
  statusMessage: z.string().nullable(),
  version: z.string().nullable().describe('the server\'s version, as last seen'),
  reachable: z.boolean().nullable().describe('whether the sandbox connects to it now; null when the sandbox is not running to ask'),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  database: z.string(),
  createdAt: Timestamp,
});
export type ProjectDatabase = z.infer<typeof ProjectDatabase>;

/** The credentials, only on explicit request (audited): the same values the sandbox's processes see. */
export const DatabaseConnection = z.object({
  url: z.string().describe('DATABASE_URL, password included'),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  password: z.string(),
  database: z.string(),
});
export type DatabaseConnection = z.infer<typeof DatabaseConnection>;

/** What deleting a project removes, for a client to say before it asks. */
export const ProjectDeletion = z.object({
  removes: z.array(z.string()).describe('everything that goes, for people to read'),
  database: z.boolean().describe('the project\'s PostgreSQL database, and all its data, goes with it'),
  warning: z.string(),
});
export type ProjectDeletion = z.infer<typeof ProjectDeletion>;

export const DumpPath = WorkspacePath.regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$)).+$/, 'a path inside the workspace');
export const DumpBody = z.object({ path: DumpPath.default('db/dump.pgdump').describe('where in the workspace the dump goes (pg_dump custom format)') });
export const RestoreBody = z.object({
  path: DumpPath.describe('a dump in the workspace (pg_dump custom format)'),
  clean: z.boolean().default(true).describe('drop what the dump holds before restoring it'),
});
export const DumpResult = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), durationMs: z.number().nonnegative() });
export const RestoreResult = z.object({ durationMs: z.number().nonnegative(), warnings: z.string().describe('what pg_restore reported (empty when quiet)') });

export const databaseRestRoutes = {
  'database.get': route({ method: 'GET', path: '/api/projects/:projectId/database', summary: 'The project\'s PostgreSQL database: status, version, whether the sandbox reaches it (never the password)', auth: 'user', params: ProjectParams, response: ProjectDatabase }),
  'database.put': route({ method: 'PUT', path: '/api/projects/:projectId/database', summary: 'Give the project a PostgreSQL database (returns at once; the sandbox\'s new processes see DATABASE_URL)', auth: 'user', params: ProjectParams, response: ProjectDatabase, status: 202 }),
  'database.delete': route({ method: 'DELETE', path: '/api/projects/:projectId/database', summary: 'Remove the project\'s database and ALL ITS DATA (team admins or the project\'s creator; returns at once)', auth: 'user', params: ProjectParams, response: ProjectDatabase, status: 202 }),
  'database.connection': route({ method: 'GET', path: '/api/projects/:projectId/database/connection', summary: 'The database\'s connection string and password (members; audited)', auth: 'user', params: ProjectParams, response: DatabaseConnection }),
  'database.dump': route({ method: 'POST', path: '/api/projects/:projectId/database/dump', summary: 'pg_dump the database into a workspace file (runs in the sandbox)', auth: 'user', params: ProjectParams, body: DumpBody, response: DumpResult }),
  'database.restore': route({ method: 'POST', path: '/api/projects/:projectId/database/restore', summary: 'pg_restore a workspace dump into the database (runs in the sandbox)', auth: 'user', params: ProjectParams, body: RestoreBody, response: RestoreResult }),
  'projects.deletion': route({ method: 'GET', path: '/api/projects/:projectId/deletion', summary: 'What deleting the project removes (its database and data included): ask before DELETE', auth: 'user', params: ProjectParams, response: ProjectDeletion }),
} as const;
