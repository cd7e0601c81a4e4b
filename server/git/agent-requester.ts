import type { Requester } from '../agent/tools/tool';
import type { Services } from '../services';
import { commitIdentity } from './commit-identity';
import { GitCredentialStore } from './credential-store';

/** The prompting user as the agent's git tools need them: their identity, and their own credentials only. */
export function gitRequester(services: Pick<Services, 'sql' | 'secrets'>, userId: string): Requester {
  return {
    identity: () => commitIdentity(services.sql, userId),
    gitCredentials: () => new GitCredentialStore(services.sql, services.secrets).credentialsFor(userId),
  };
}
