import type { Config } from '../../config';
import { lifecycleHarness, type LifecycleHarness } from '../../reconcile/lifecycle.suite';
import type { Runtime } from '../../runtime/runtime';
import { agentTestConfig } from './agent-config';
import { ChatTestClient } from './chat-client';
import { startOpenAIScriptServer } from './openai-script-server';
import type { ScriptTurn } from './script';
import type { ScriptServer } from './script-server';

export const AGENT_TEST_KEY = 'sk-test-agent-0123456789';

export interface AgentHarness {
  h: LifecycleHarness;
  /** The scripted model: enqueue the turns a test expects. */
  model: ScriptServer;
  /** A running project of the harness user (template `empty`). */
  project(): Promise<string>;
  client(token?: string): Promise<ChatTestClient>;
  /** A new chat, subscribed from the start. */
  chat(client: ChatTestClient, projectId: string): Promise<string>;
  /** Queues the model's turns, sends the prompt and waits for the turn's end. */
  run(client: ChatTestClient, chatId: string, prompt: string, turns: ScriptTurn[]): Promise<{ status: string; turnId: string }>;
  close(): Promise<void>;
}

/** A server with a real reconciler and runtime, a scripted model, and helpers to chat. */
export async function agentHarness(runtime: Runtime, overrides: Partial<Config> = {}): Promise<AgentHarness> {
  const model = await startOpenAIScriptServer([], { apiKey: AGENT_TEST_KEY });
  const h = await lifecycleHarness(runtime, { agent: agentTestConfig(model.baseUrl), ...overrides });
  const clients: ChatTestClient[] = [];
  const harness: AgentHarness = {
    h, model,
    async project() {
      const project = await h.create({ template: 'empty' });
      await h.waitStatus(project.id, 'RUNNING');
      return project.id;
    },
    async client(token = h.user.token) {
      const client = await ChatTestClient.open(h.s.url, token);
      clients.push(client);
      return client;
    },
    async chat(client, projectId) {
      const { chat } = await client.request<{ chat: { id: string } }>('chats.create', { projectId });
      await client.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
      return chat.id;
    },
    async run(client, chatId, prompt, turns) {
      model.enqueue(...turns);
      const { turnId } = await client.request<{ turnId: string }>('chat.send', { chatId, text: prompt });
      const done = await client.done(chatId, turnId, 60_000);
      return { status: done.status, turnId };
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await h.s.close();
      await model.close();
    },
  };
  return harness;
}
