import { z } from 'zod';
import { Uuid } from './common';
import { ModelOption } from './chat-models';

/**
 * WebSocket methods behind the chat's slash commands that are more than a mode or a new chat:
 * `/model` (the choices, and the chat's choice), `/compact` and `/checkpoint`. Merged into protocol/ws.ts.
 */
export const chatCommandWsMethods = {
  /** The models the project's chats may use, the default first. */
  'models.list': { params: z.object({ projectId: Uuid }), result: z.object({ models: z.array(ModelOption) }) },
  /** Chooses the chat's model for its next turns (null: the team's default). Unknown ids are refused. */
  'chat.setModel': { params: z.object({ chatId: Uuid, modelId: Uuid.nullable() }), result: z.object({ chatId: Uuid, modelId: Uuid.nullable() }) },
  /** `/compact`: a turn that summarises the conversation so far (`conflict` while a turn runs). */
  'chat.compact': { params: z.object({ chatId: Uuid }), result: z.object({ turnId: Uuid }) },
  /** `/checkpoint`: saves the workspace now; `created` false when nothing changed since the last one (its id, if any). */
  'chat.checkpoint': {
    params: z.object({ chatId: Uuid, message: z.string().trim().min(1).max(500).optional() }),
    result: z.object({ checkpointId: Uuid.nullable(), created: z.boolean() }),
  },
} as const;
