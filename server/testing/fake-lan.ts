import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

/**
 * A machine "next to" this host, made of nothing but this host: a network namespace joined by a
 * veth pair, holding a private address, a link-local one (like a cloud metadata service) and one from
 * a documentation range (198.51.100.0/24) that stands for an internet address; a TCP listener on
 * each given port answers there. Traffic from a container to it is forwarded (FORWARD/DOCKER-USER),
 * never leaves the machine, and everything is removed by `close()`. Needs root.
 */
export interface FakeLan {
  privateAddress: string;
  linkLocalAddress: string;
  publicAddress: string;
  close(): Promise<void>;
}

export async function fakeLan(ports: number[]): Promise<FakeLan> {
  const tag = randomInt(0x10000, 0xfffff).toString(16);
  const ns = `slw-lan-${tag}`;
  const [hostSide, nsSide] = [`slwh${tag}`, `slwn${tag}`];
  const [a, b] = [randomInt(1, 250), randomInt(0, 63) * 4];
  const hostAddress = `10.${200 + (a % 50)}.${a}.${b + 1}`;
  const privateAddress = `10.${200 + (a % 50)}.${a}.${b + 2}`;
  const linkLocalAddress = `169.254.${randomInt(170, 250)}.${randomInt(1, 254)}`;
  const publicAddress = `198.51.100.${randomInt(1, 254)}`;
  let listener: ChildProcess | undefined;
  const close = async () => {
    listener?.kill('SIGKILL');
    await ip('link', 'del', hostSide).catch(() => {});
    await ip('route', 'del', `${linkLocalAddress}/32`).catch(() => {});
    await ip('route', 'del', `${publicAddress}/32`).catch(() => {});
    await ip('netns', 'del', ns).catch(() => {});
  };
  try {
    await ip('netns', 'add', ns);
    await ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide);
    await ip('link', 'set', nsSide, 'netns', ns);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    await ip('link', 'set', hostSide, 'up');
    for (const address of [`${privateAddress}/30`, `${linkLocalAddress}/32`, `${publicAddress}/32`]) await ip('-n', ns, 'addr', 'add', address, 'dev', nsSide);
    await ip('-n', ns, 'link', 'set', nsSide, 'up');
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    await ip('-n', ns, 'route', 'add', 'default', 'via', hostAddress);
    await ip('route', 'add', `${linkLocalAddress}/32`, 'via', privateAddress);
    await ip('route', 'add', `${publicAddress}/32`, 'via', privateAddress);
    const script = `const net = require('node:net'); for (const port of ${JSON.stringify(ports)}) net.createServer((s) => s.end('hello')).listen(port, '0.0.0.0'); console.log('ready');`;
    listener = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      listener!.stdout!.once('data', () => resolve());
      listener!.once('exit', (code) => reject(new Error(`the listener in ${ns} exited with ${code}`)));
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { privateAddress, linkLocalAddress, publicAddress, close };
}
