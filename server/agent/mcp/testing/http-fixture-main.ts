import { startHttpMcpServer } from './http-mcp-server';

/** The HTTP fixture as a program (bundled to run in a sandbox): listens on 127.0.0.1:$PORT. */
const { url } = await startHttpMcpServer('127.0.0.1', Number(process.env.PORT));
process.stdout.write(`listening on ${url}\n`);
