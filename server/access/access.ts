import type { Role } from '../../protocol/common';
import type { Sql, Tx } from '../db/database';
import { chatWithRole, type ChatRow } from '../agent/chats/chat-store';
import { projectWithRole, type ProjectRow } from '../projects/project-store';
import { roleIn } from '../teams/team-store';
import { AppError } from '../errors';
import { decide } from './role-policy';

/**
 * The one answer to "may this user do this to that", for REST routes, WebSocket methods and the
 * preview alike: someone outside the team gets 404 (they may not learn it exists); a member
 * without the role gets 403 (they see it but may not change it). The stores say who holds which
 * role; this module (with `role-policy.ts`) decides. `server/access/isolation.test.ts` walks every route and method.
 */
/** The user's role in the team, at least `needed`. */
export async function teamAccess(db: Sql | Tx, userId: string, teamId: string, needed: Role = 'member', what = 'team'): Promise<Role> {
  return decide(await roleIn(db, userId, teamId), needed, what);
}

/**
 * Whether the user may open the previews of the team's projects (any member may). By the same
 * rule, an outsider is not told the project exists: the preview proxy answers false with its 404.
 */
export async function mayPreview(db: Sql | Tx, userId: string, teamId: string): Promise<boolean> {
  try {
    await teamAccess(db, userId, teamId, 'member', 'preview');
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return false;
    throw err;
  }
}

/** The project (locked for update with `lock`) and the user's role, at least `needed`. */
export async function projectForUser(db: Sql | Tx, userId: string, projectId: string, lock = false, needed: Role = 'member'): Promise<{ row: ProjectRow; role: Role }> {
  const found = await projectWithRole(db, userId, projectId, lock);
  decide(found?.role, needed, 'project');
  return found!;
}

/** The chat and the user's role in its project's team, at least `needed`. */
export async function chatForUser(db: Sql | Tx, userId: string, chatId: string, needed: Role = 'member'): Promise<{ chat: ChatRow; role: Role }> {
  const found = await chatWithRole(db, userId, chatId);
  decide(found?.role, needed, 'chat');
  return found!;
}
