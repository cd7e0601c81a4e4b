import { z } from 'zod';
import { Ok } from '../common';
import { BranchName, RemoteUrl } from '../daemon/git';
import { Timestamp } from '../common';
import { route } from './route';

/** A Git host as git names it in credential requests: `github.com`, `git.example.com:8443`. */
export const GitHost = z.string().trim().toLowerCase().min(1).max(253).regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, 'a host name, optionally with :port');
export const GitHostParams = z.object({ host: GitHost });
/** No control characters: git's credential protocol is line-based. */
const Line = (max: number) => z.string().min(1).max(max).regex(/^[^\x00-\x1f\x7f]+$/, 'no control characters or line breaks');
export const PutGitTokenBody = z.object({
  token: Line(4096),
  /** Most hosts accept any user name with a token; some want yours. */
  username: Line(200).default('x-access-token'),
});
export const GitTokenInfo = z.object({ host: z.string(), username: z.string(), updatedAt: Timestamp });
export const SshPublicKey = z.object({
  publicKey: z.string().describe('paste this into your Git host (OpenSSH format)'),
  fingerprint: z.string(),
  createdAt: Timestamp,
});

/** `git` in `projects.create`: clone this repository instead of a template. */
export const GitSource = z.object({ url: RemoteUrl, branch: BranchName.optional() });

/** Your own Git credentials: never a team's, never shown again once set. */
export const gitRestRoutes = {
  'git.tokens.list': route({ method: 'GET', path: '/api/git/tokens', summary: 'Hosts you have a Git token for (never the tokens)', auth: 'user', response: z.object({ items: z.array(GitTokenInfo) }) }),
  'git.tokens.put': route({ method: 'PUT', path: '/api/git/tokens/:host', summary: 'Set your personal access token for a Git host (encrypted; used only for your own git commands)', auth: 'user', params: GitHostParams, body: PutGitTokenBody, response: GitTokenInfo }),
  'git.tokens.delete': route({ method: 'DELETE', path: '/api/git/tokens/:host', summary: 'Remove your token for a Git host', auth: 'user', params: GitHostParams, response: Ok }),
  'git.sshKey.get': route({ method: 'GET', path: '/api/git/ssh-key', summary: 'Your SSH public key for Git hosts (made on first request, ed25519)', auth: 'user', response: SshPublicKey }),
  'git.sshKey.rotate': route({ method: 'POST', path: '/api/git/ssh-key', summary: 'Replace your SSH key with a new one', auth: 'user', response: SshPublicKey, status: 201 }),
} as const;
