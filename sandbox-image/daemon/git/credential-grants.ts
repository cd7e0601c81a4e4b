import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitCredentials } from '../../../protocol/daemon/git';
import { GitCredentials as GitCredentialsSchema } from '../../../protocol/daemon/git';

export const CREDENTIAL_PATH = '/git/credential';
const GRANT_SCHEME = 'Grant ';
const MAX_REQUEST_BYTES = 16 * 1024;

/**
 * The credential helper git runs: it presents the grant of the one git process it serves to the
 * daemon on loopback and prints what the daemon answers. The token never sits in an environment
 * variable, a command line or a file.
 */
const HELPER = `#!/bin/sh
[ "$1" = get ] || exit 0
[ -n "$SLIPWAY_GIT_GRANT" ] || exit 0
exec curl -sf --max-time 20 -H "authorization: ${GRANT_SCHEME}$SLIPWAY_GIT_GRANT" -H 'content-type: text/plain' --data-binary @- "$SLIPWAY_GIT_CREDENTIAL_URL"
`;

export interface Grant {
  /** Environment and `-c` settings for the git process this grant serves. */
  env: Record<string, string>;
  config: string[];
  revoke(): Promise<void>;
}

interface Held {
  https: { host: string; username: string; password: string }[];
  used: boolean;
}

/**
 * Credentials the server handed over for one git process of one user. Each grant is a random
 * secret given only to that process; the first `get` answered consumes it (before any hook or
 * filter of the repository runs), and it is gone when the process ends.
 */
export class CredentialGrants {
  private readonly held = new Map<string, Held>();
  private dir: Promise<string> | undefined;

  constructor(private readonly daemonPort: () => number) {}

  async issue(input: GitCredentials): Promise<Grant> {
    const credentials = GitCredentialsSchema.parse(input);
    const dir = await this.privateDir();
    const id = randomBytes(32).toString('base64url');
    this.held.set(id, { https: credentials.https, used: false });
    const env: Record<string, string> = {
      SLIPWAY_GIT_GRANT: id,
      SLIPWAY_GIT_CREDENTIAL_URL: `http://127.0.0.1:${this.daemonPort()}${CREDENTIAL_PATH}`,
    };
    const keyFile = path.join(dir, `key-${id}`);
    if (credentials.sshKey) {
      await writeFile(keyFile, credentials.sshKey.endsWith('\n') ? credentials.sshKey : `${credentials.sshKey}\n`, { mode: 0o600 });
      env.GIT_SSH_COMMAND = `ssh -i '${keyFile}' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new`;
    } else {
      env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new';
    }
    return {
      env,
      // An empty helper clears every helper configured before (system, global, the repository's).
      config: ['credential.helper=', `credential.helper=${path.join(dir, 'credential-helper')}`, 'credential.useHttpPath=false'],
      revoke: async () => {
        this.held.delete(id);
        await rm(keyFile, { force: true });
      },
    };
  }

  /** `POST /git/credential` from the helper: git's credential request in, `username=`/`password=` out. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers.authorization ?? '';
    const held = header.startsWith(GRANT_SCHEME) ? this.held.get(header.slice(GRANT_SCHEME.length)) : undefined;
    const body = await readSmall(req);
    if (!held || held.used || req.method !== 'POST' || body === undefined) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end();
      return;
    }
    const request = parseCredentialRequest(body);
    const match = held.https.find((c) => c.host.toLowerCase() === (request.host ?? '').toLowerCase());
    if (!match || !['https', 'http'].includes(request.protocol ?? '')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end();
      return;
    }
    held.used = true;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`username=${match.username}\npassword=${match.password}\n`);
  }

  async close(): Promise<void> {
    this.held.clear();
    const dir = await this.dir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  private privateDir(): Promise<string> {
    this.dir ??= (async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'slipway-git-'));
      await chmod(dir, 0o700);
      await writeFile(path.join(dir, 'credential-helper'), HELPER, { mode: 0o700 });
      return dir;
    })();
    return this.dir;
  }
}

/** Git's credential protocol: `key=value` lines. */
export function parseCredentialRequest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

async function readSmall(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
