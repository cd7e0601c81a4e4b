import { randomBytes } from 'node:crypto';

/**
 * How a sandbox reaches its project's database (see DatabaseSpec in runtime.ts): fixed names, on the
 * loopback of the sandbox's own network namespace. The one place these are spelled: the runtimes
 * configure the database with them, the project layer gives the sandbox's processes `databaseEnv`.
 */
export const DATABASE_USER = 'app';
export const DATABASE_NAME = 'app';
export const DATABASE_HOST = '127.0.0.1';
export const DATABASE_PORT = 5432;
/** The image `npm run image` builds (k8s/build-images.sh postgres), as its moving tag. */
export const DEFAULT_DATABASE_IMAGE = 'slipway-postgres:latest';

/** A new random password for a project's database (URL-safe: no escaping in DATABASE_URL). */
export function newDatabasePassword(): string {
  return randomBytes(24).toString('base64url');
}

export function databaseUrlFor(password: string): string {
  return `postgres://${DATABASE_USER}:${encodeURIComponent(password)}@${DATABASE_HOST}:${DATABASE_PORT}/${DATABASE_NAME}`;
}

/** DATABASE_URL and the libpq PG* variables (psql, pg_dump, most drivers read them). */
export function databaseEnv(password: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrlFor(password),
    PGHOST: DATABASE_HOST,
    PGPORT: String(DATABASE_PORT),
    PGUSER: DATABASE_USER,
    PGPASSWORD: password,
    PGDATABASE: DATABASE_NAME,
  };
}
