import { publicUrl } from '../../config';
import { previewOrigin } from '../../preview/preview-host';
import { projectNames } from '../../projects/project-store';
import { runningSandbox } from '../../access/sandbox-access';
import type { Services } from '../../services';
import type { ChatRow } from '../chats/chat-store';
import type { ChatWriter } from '../events/chat-writer';
import type { ToolContext, ToolSession } from '../tools/tool';
import { CheckpointTaker } from './checkpoint-taker';
import { gitRequester } from '../../git/agent-requester';

/** What a turn does in its sandbox with: the tools' context and the checkpoints. */
export interface SandboxSide {
  tools: ToolContext;
  checkpoints: CheckpointTaker;
}

/**
 * The sandbox side of a turn, reached only when the model first calls a tool: a chat that only
 * talks needs no running sandbox.
 */
export class TurnSandbox {
  private opening: Promise<SandboxSide> | undefined;
  private ready: SandboxSide | undefined;

  constructor(
    private readonly services: Pick<Services, 'sql' | 'config' | 'daemons' | 'secrets'>,
    private readonly chat: ChatRow,
    private readonly writer: ChatWriter,
    private readonly session: ToolSession,
    private readonly signal: AbortSignal,
    private readonly requestedBy: string | null = null,
  ) {}

  get(): Promise<SandboxSide> {
    this.opening ??= this.open().then((side) => (this.ready = side));
    return this.opening;
  }

  /** The checkpoints of the turn, if the sandbox was used at all. */
  get checkpoints(): CheckpointTaker | undefined {
    return this.ready?.checkpoints;
  }

  private async open(): Promise<SandboxSide> {
    const { services, chat, writer } = this;
    const project = await projectNames(services.sql, chat.projectId);
    const { sandbox, client } = await runningSandbox(services, chat.projectId);
    const slug = project?.slug ?? 'project';
    const tools: ToolContext = {
      client, signal: this.signal, session: this.session,
      emit: (body) => writer.emit(body),
      project: { id: chat.projectId, name: project?.name ?? 'project', slug, database: project?.database ?? false },
      previewOrigin: (port) => previewOrigin({ port, slug, domain: services.config.previewDomain, publicUrl: publicUrl(services.config) }),
      daemonPort: sandbox.address ? Number(new URL(sandbox.address).port) || undefined : undefined,
      ...(this.requestedBy && { requester: gitRequester(services, this.requestedBy) }),
    };
    return { tools, checkpoints: new CheckpointTaker(services.sql, client, writer, chat) };
  }
}
