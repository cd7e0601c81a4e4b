import type { AgentService } from '../agent-service';
import type { TurnTiming } from '../loop/turn-timing';
import type { ChatTestClient } from './chat-client';

/**
 * What `npm run bench` measures of the agent, in one process with the server:
 * - per-turn overhead: a turn's time minus model and tool time;
 * - token relay latency: from a text delta leaving the provider stream to the WebSocket client
 *   receiving the chat event that carries it (coalesced events carry several deltas).
 */
export interface AgentProbe {
  timings: (TurnTiming & { chatId: string })[];
  /** Text deltas as the provider produced them, with their end offset in the chat's text. */
  deltas: { end: number; at: number }[];
  /** Overhead per turn in ms. */
  overheads(): number[];
  /** Latencies in ms, matched against what the client received for `chatId`. */
  relayLatencies(client: ChatTestClient, chatId: string): number[];
  stop(): void;
}

export function probeAgent(agent: AgentService): AgentProbe {
  const timings: AgentProbe['timings'] = [];
  const deltas: AgentProbe['deltas'] = [];
  let produced = 0;
  const previous = { onTiming: agent.deps.onTiming, onModelEvent: agent.deps.onModelEvent };
  agent.deps.onTiming = (timing) => timings.push(timing);
  agent.deps.onModelEvent = (event, at) => {
    if (event.type !== 'text_delta' || !event.text) return;
    produced += event.text.length;
    deltas.push({ end: produced, at });
  };
  return {
    timings, deltas,
    overheads: () => timings.map((t) => t.totalMs - t.modelMs - t.toolMs),
    relayLatencies(client, chatId) {
      const received: { end: number; at: number }[] = [];
      let seen = 0;
      for (const arrival of client.arrivals) {
        if (arrival.chatId !== chatId || arrival.event.body.type !== 'text_delta') continue;
        seen += arrival.event.body.text.length;
        received.push({ end: seen, at: arrival.at });
      }
      return deltas.flatMap((delta) => {
        const carrier = received.find((r) => r.end >= delta.end);
        return carrier ? [carrier.at - delta.at] : [];
      });
    },
    stop() {
      agent.deps.onTiming = previous.onTiming;
      agent.deps.onModelEvent = previous.onModelEvent;
    },
  };
}
