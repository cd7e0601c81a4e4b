import { Agent, type ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Opens a TCP connection to host:port by other means than routing (e.g. the Kubernetes API's port-forward). */
export type Dial = (host: string, port: number) => Promise<Socket>;

type CreateConnection = (options: ClientRequestArgs, callback: (error: Error | null, socket: Duplex) => void) => Duplex | undefined;

/** For `http.request` and `ws`: connections through `dial` (node's asynchronous createConnection form). */
export const connectionVia = (dial: Dial): CreateConnection => (options, callback) => {
  dial(String(options.host ?? options.hostname), Number(options.port)).then((socket) => callback(null, socket), (error: Error) => callback(error, undefined as never));
  return undefined;
};

/** A keep-alive agent; with `dial`, its connections go through it. */
export function agentVia(dial: Dial | undefined, options: { maxSockets: number }): Agent {
  const agent = new Agent({ keepAlive: true, ...options });
  if (dial) agent.createConnection = connectionVia(dial) as unknown as Agent['createConnection'];
  return agent;
}
