import { publicUrl } from '../config';
import type { Handlers } from '../http/route-binder';
import { projectForUser } from '../access/access';
import { sandboxForMember } from '../access/sandbox-access';
import type { Services } from '../services';
import { previewOrigin } from './preview-host';
import { createLaunch, launchOf } from './preview-launch-store';
import { PREVIEW_QUERY, previewCredential, signPreviewToken } from './preview-tokens';
import { requestCredential } from '../auth/authenticate';
import { notFound } from '../errors';

const LINK_SECONDS = 300;

export function previewHandlers(services: Pick<Services, 'sql' | 'daemons' | 'jwtKey' | 'config'>): Pick<Handlers, 'projects.ports' | 'projects.preview' | 'previews.launch'> {
  return {
    'projects.ports': async ({ user, params }) => {
      const { sandbox, client } = await sandboxForMember(services, user.id, params.projectId);
      const daemonPort = Number(new URL(sandbox.address!).port);
      const { ports } = await client.call('ports.list', {});
      const seen = new Set<number>();
      const items = ports.filter((p) => p.port !== daemonPort && !seen.has(p.port) && seen.add(p.port)).map((p) => ({ port: p.port, address: p.address }));
      return { items };
    },
    'projects.preview': async ({ user, params, body, ctx }) => {
      const credential = previewCredential(requestCredential(ctx));
      const { row } = await projectForUser(services.sql, user.id, params.projectId);
      const launchId = await createLaunch(services.sql, { userId: user.id, projectId: row.id, seconds: LINK_SECONDS });
      const token = await signPreviewToken(services.jwtKey, { userId: user.id, projectId: row.id, credential, launchId }, LINK_SECONDS);
      const origin = previewOrigin({ port: body.port, slug: row.slug, domain: services.config.previewDomain, publicUrl: publicUrl(services.config) });
      return { url: `${origin}/?${PREVIEW_QUERY}=${token}`, cleanUrl: `${origin}/`, launchId, port: body.port, expiresAt: new Date(Date.now() + LINK_SECONDS * 1000).toISOString() };
    },
    'previews.launch': async ({ user, params }) => {
      const launch = await launchOf(services.sql, params.launchId, user.id);
      if (!launch) throw notFound('preview launch');
      return launch;
    },
  };
}
