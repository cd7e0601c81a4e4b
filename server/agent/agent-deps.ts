import type { Services } from '../services';
import type { McpHub } from './mcp/mcp-hub';
import type { ChatHistory } from './events/chat-history';
import type { ChatFeed } from './events/chat-feed';
import type { TimingListener } from './loop/turn-timing';
import type { ModelProvider, StreamEvent } from './providers/provider';
import type { ProviderConfig } from './providers/registry';
import type { RetryNotice } from './providers/retry';

export interface AgentOptions {
  /** Model steps per turn before the agent stops and says so. */
  maxSteps: number;
  /** Output tokens per model step. */
  maxTokens: number;
  /** The context window assumed when the team's settings do not say. */
  contextTokens: number;
  /** Seconds without a heartbeat after which another process declares a turn interrupted. */
  staleTurnSeconds: number;
}

/** The parts of the shared infrastructure the agent uses. */
export type AgentServices = Pick<Services, 'sql' | 'log' | 'config' | 'secrets' | 'daemons'>;

/** What the agent's parts share. */
export interface AgentDeps {
  services: AgentServices;
  feed: ChatFeed;
  options: AgentOptions;
  /** The server-wide model from the configuration or the environment. */
  serverModel: ProviderConfig | undefined;
  /** A team's model (`source: 'team'`) connects only where the server's egress policy allows. */
  createProvider(config: ProviderConfig, onRetry: (notice: RetryNotice) => void, source: 'team' | 'server'): ModelProvider;
  /** Bench hooks: each turn's timing, and each model event as it arrives (performance.now()). */
  onTiming?: TimingListener;
  onModelEvent?: (event: StreamEvent, at: number) => void;
  /** The projects' MCP servers (absent: none). */
  mcp?: McpHub;
  /** The chats' events kept between turns (absent: every turn reads the whole log). */
  history?: ChatHistory;
}
