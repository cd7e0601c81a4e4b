import type { SecretBox } from '../crypto/secret-box';
import type { Sql } from '../db/database';
import { DaemonClientError } from '../daemon-client/daemon-client-error';
import type { DaemonClient } from '../daemon-client';
import { SandboxFailure } from '../runtime/runtime';
import { GitCredentialStore } from './credential-store';
import { gitSourceOf } from './git-source-store';

/**
 * Seeds a project created from a Git URL: clones it into the empty workspace with its creator's
 * own credentials, reporting git's progress. A failure (wrong token, no such repository) becomes
 * the project's status message; the reconciler tries again later (a token may be set meanwhile).
 */
export async function cloneGitSource(deps: { sql: Sql; secrets: SecretBox }, client: DaemonClient, projectId: string, progress: (text: string) => void): Promise<void> {
  const source = await gitSourceOf(deps.sql, projectId);
  if (!source) throw new SandboxFailure('the project\'s Git source is missing', false);
  const credentials = source.createdBy ? await new GitCredentialStore(deps.sql, deps.secrets).credentialsFor(source.createdBy) : { https: [] };
  const stream = await client.connect();
  try {
    stream.on('git.progress', (event) => progress(event.text));
    await stream.call('git.clone', { url: source.url, ...(source.branch && { branch: source.branch }), credentials, progressId: 'seed' });
  } catch (error) {
    if (error instanceof DaemonClientError && error.code !== 'internal' && error.code !== 'unauthorized') throw new SandboxFailure(`Cloning ${source.url} failed: ${error.message}`);
    throw error;
  } finally {
    stream.close();
  }
}
