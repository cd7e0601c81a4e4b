import type { SecretBox } from '../crypto/secret-box';
import { newDatabasePassword as randomPassword } from '../runtime/database-env';

/** Associated data binding a database's sealed password to its project. */
const context = (projectId: string) => `database:${projectId}`;

/** A new random password (URL-safe: it goes into DATABASE_URL as it is), sealed for the project's row. */
export function newDatabasePassword(secrets: SecretBox, projectId: string): Buffer {
  return secrets.seal(randomPassword(), context(projectId));
}

/** The password in clear: for the sandbox's environment and the runtime, and a member who asks explicitly. */
export function openDatabasePassword(secrets: SecretBox, projectId: string, sealed: Uint8Array): string {
  return secrets.open(sealed, context(projectId));
}
