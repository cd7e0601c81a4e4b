import { WebSocket, WebSocketServer } from 'ws';
import { agentTestConfig } from '../agent/testing/agent-config';
import { probeAgent } from '../agent/testing/bench-hooks';
import { ChatTestClient } from '../agent/testing/chat-client';
import { startOpenAIScriptServer } from '../agent/testing/openai-script-server';
import { startTestServer } from '../testing/test-server';
import { progress, summarize, type Row } from '../../bench/stats';

const KEY = 'sk-test-agent-0123456789'; // what agentTestConfig sends

/** The agent's own cost per turn (model time excluded) and how fast tokens reach a client. */
export async function agentBench(turns: number): Promise<Row[]> {
  progress('agent');
  const model = await startOpenAIScriptServer([], { apiKey: KEY });
  const s = await startTestServer({ agent: agentTestConfig(model.baseUrl) });
  try {
    const user = await s.signUp('bench');
    const projectId = (await s.call('POST', '/api/projects', { token: user.token, body: { teamId: user.teamId, name: 'bench', start: false } })).body.id;
    const client = await ChatTestClient.open(s.url, user.token);
    const { chat } = await client.request<{ chat: { id: string } }>('chats.create', { projectId });
    await client.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
    const probe = probeAgent(s.agent);
    for (let i = 0; i < turns; i++) {
      model.enqueue({ reply: [{ text: Array.from({ length: 20 }, (_, k) => `t${k} `) }], delayMs: 5 });
      const { turnId } = await client.request<{ turnId: string }>('chat.send', { chatId: chat.id, text: `turn ${i}` });
      await client.done(chat.id, turnId);
    }
    const overheads = probe.overheads().slice(1); // the first turn warms caches
    const measured = probe.timings.slice(1);
    const phases = [...new Set(measured.flatMap((t) => Object.keys(t.phases)))];
    const phaseRows: Row[] = phases.map((name) => ({ what: `↳ ${name}`, ours: summarize(measured.map((t) => t.phases[name] ?? 0)) }));
    const rest = measured.map((t, i) => overheads[i]! - Object.values(t.phases).reduce((a, b) => a + b, 0));
    phaseRows.push({ what: '↳ the rest (provider set-up, prompt building, tool dispatch)', ours: summarize(rest) });
    const relay = probe.relayLatencies(client, chat.id);
    probe.stop();
    await client.close();
    return [
      { what: 'agent overhead per turn (model and tools excluded)', ours: summarize(overheads), goal: '≤ 1.5 ms p50' },
      ...phaseRows,
      { what: 'token relay: provider stream → WebSocket client', ours: summarize(relay), baseline: { label: 'raw WebSocket message on loopback', ...summarize(await rawWebSocketLatency(relay.length)) }, goal: '≤ 2 ms p50' },
    ];
  } finally {
    await s.close();
    await model.close();
  }
}

/** One-way latency of plain ws messages between two sockets in this process. */
async function rawWebSocketLatency(count: number): Promise<number[]> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const latencies: number[] = [];
  const done = new Promise<void>((resolve) => server.once('connection', (peer) => {
    peer.on('message', (data) => {
      latencies.push(performance.now() - Number(data.toString()));
      if (latencies.length >= count) resolve();
    });
  }));
  const socket = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`);
  await new Promise((r) => socket.once('open', r));
  for (let i = 0; i < count; i++) {
    socket.send(String(performance.now()));
    await new Promise((r) => setTimeout(r, 2));
  }
  await done;
  socket.close();
  await new Promise((r) => server.close(r));
  return latencies;
}
