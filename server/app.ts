import Router from '@koa/router';
import Koa from 'koa';
import { agentRestHandlers } from './agent/handlers/agent-rest-handlers';
import { mcpRestHandlers } from './agent/handlers/mcp-rest-handlers';
import { teamModelsHandlers } from './agent/handlers/team-models-handlers';
import type { AgentService } from './agent/agent-service';
import { authHandlers } from './auth/auth-handlers';
import { errorMiddleware } from './http/error-middleware';
import { protocolVersion } from './http/protocol-version';
import { bindRoutes } from './http/route-binder';
import { signInPage } from './http/sign-in-page';
import { systemRoutes } from './http/system-routes';
import { databaseHandlers } from './projects/database-handlers';
import { envHandlers } from './projects/env-handlers';
import { gitCredentialHandlers } from './git/git-credential-handlers';
import { previewHandlers } from './preview/preview-handlers';
import type { PreviewProxy } from './preview/preview-proxy';
import { projectHandlers } from './projects/project-handlers';
import type { Services } from './services';
import { teamHandlers } from './teams/team-handlers';
import { teamClusterHandlers } from './teams/team-cluster-handlers';
import { fileEarlyReads, fileHandlers } from './workspace-bridge/file-handlers';

/** Builds the HTTP application. It opens no port: main.ts (or a test) serves it. */
export function createApp(services: Services, agent: AgentService, preview: PreviewProxy): Koa {
  const app = new Koa({ proxy: services.config.trustProxy });
  app.silent = true;
  const router = new Router();
  systemRoutes(router, services);
  signInPage(router);
  bindRoutes(router, services, {
    ...authHandlers(services),
    ...teamHandlers(services),
    ...teamClusterHandlers(services),
    ...projectHandlers(services),
    ...envHandlers(services),
    ...databaseHandlers(services),
    ...previewHandlers(services),
    ...agentRestHandlers(services, agent),
    ...mcpRestHandlers(services, agent),
    ...teamModelsHandlers(services, agent),
    ...fileHandlers(services),
    ...gitCredentialHandlers(services),
  }, fileEarlyReads(services));
  app.use(services.metrics.middleware());
  app.use(errorMiddleware(services.log));
  app.use(preview.middleware());
  app.use(protocolVersion());
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
