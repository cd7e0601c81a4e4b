import assert from 'node:assert/strict';
import { ClientError } from '../../protocol/client/client-error';
import { FakeSocket, tick } from '../connection/fake-socket.testing';
import { CLEAR_SCREEN } from './scrollback-merge';
import { TerminalSession } from './terminal-session';

const P = '0f8fad5b-d9cb-469f-a165-70867728950e';
const T = 'term_1';

describe('terminal session', () => {
  const setup = () => {
    const socket = new FakeSocket();
    let scrollback = 'welcome\r\n$ ';
    const info = { terminalId: T, pid: 1, cols: 80, rows: 24, running: true, exitCode: null };
    socket.handlers['terminal.open'] = () => info;
    socket.handlers['terminal.attach'] = () => ({ ...info, scrollback });
    const screen = { text: '', ended: [] as unknown[] };
    const session = new TerminalSession(socket, P, { write: (d) => (screen.text += d), ended: (code, lost) => screen.ended.push(lost ?? code) });
    return { socket, session, screen, setScrollback: (s: string) => (scrollback = s) };
  };
  const out = (socket: FakeSocket, data: string, terminalId = T) => socket.emit('terminal.output', { projectId: P, terminalId, data });

  it('opens a PTY, shows the scrollback once and then live output of this terminal only', async () => {
    const { socket, session, screen } = setup();
    await session.open(100, 30);
    assert.deepEqual(socket.methods('terminal.open'), [{ projectId: P, cols: 100, rows: 30, cwd: '.', env: {} }]);
    assert.deepEqual(socket.methods('terminal.resize'), [{ projectId: P, terminalId: T, cols: 100, rows: 30 }]);
    out(socket, 'ls\r\n');
    out(socket, 'not mine', 'term_2');
    assert.equal(screen.text, 'welcome\r\n$ ls\r\n');
  });

  it('re-attaches after a blip and writes only what it missed', async () => {
    const { socket, session, screen, setScrollback } = setup();
    await session.open(80, 24);
    out(socket, 'echo hi\r\nhi\r\n$ ');
    setScrollback('welcome\r\n$ echo hi\r\nhi\r\n$ made while away\r\n$ ');
    socket.blip();
    await tick();
    assert.equal(screen.text, 'welcome\r\n$ echo hi\r\nhi\r\n$ made while away\r\n$ ');
    assert.equal(socket.methods('terminal.attach').length, 2);
  });

  it('clears and replays when it missed more than the scrollback keeps', async () => {
    const { socket, session, screen, setScrollback } = setup();
    await session.open(80, 24);
    setScrollback('x'.repeat(200));
    socket.blip();
    await tick();
    assert.equal(screen.text, 'welcome\r\n$ ' + CLEAR_SCREEN + 'x'.repeat(200));
  });

  it('sends keys in order, one request at a time, and keeps them while disconnected', async () => {
    const { socket, session } = setup();
    await session.open(80, 24);
    session.input('e');
    session.input('c');
    session.input('ho\r');
    await tick();
    socket.setState({ status: 'waiting', retryInMs: 10, reason: 'blip' });
    session.input('typed while away');
    await tick();
    socket.setState({ status: 'open' });
    await tick();
    await tick();
    assert.deepEqual(socket.methods('terminal.input').map((p) => p.data), ['e', 'cho\r', 'typed while away']);
  });

  it('ends when the PTY exits, and says so when the terminal is gone after a reconnect', async () => {
    const first = setup();
    await first.session.open(80, 24);
    first.socket.emit('terminal.exit', { projectId: P, terminalId: T, exitCode: 3, signal: null });
    assert.deepEqual(first.screen.ended, [3]);
    assert.equal(first.socket.listenerCount, 0);

    const second = setup();
    await second.session.open(80, 24);
    second.socket.handlers['terminal.attach'] = () => { throw new ClientError('server', 'no such terminal: term_1', 'not_found'); };
    second.socket.blip();
    await tick();
    assert.match(String(second.screen.ended[0]), /could not be reattached: no such terminal/);
  });

  it('attaches again when the attach timed out on a socket that stayed open (a busy server), then takes keys', async () => {
    const socket = new FakeSocket();
    const info = { terminalId: T, pid: 1, cols: 80, rows: 24, running: true, exitCode: null };
    socket.handlers['terminal.open'] = () => info;
    let attaches = 0;
    socket.handlers['terminal.attach'] = () => {
      if (++attaches === 1) throw new ClientError('network', 'the server did not answer terminal.attach in time');
      return { ...info, scrollback: '$ ' };
    };
    const screen = { text: '' };
    const session = new TerminalSession(socket, P, { write: (d) => (screen.text += d), ended: () => undefined }, { attachRetryMs: 5 });
    await session.open(80, 24);
    session.input('echo hi\r');
    for (let i = 0; i < 50 && !socket.methods('terminal.input').length; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(socket.methods('terminal.attach').length, 2, 'it tried again without waiting for a reconnection');
    assert.equal(screen.text, '$ ');
    assert.deepEqual(socket.methods('terminal.input').map((p) => p.data), ['echo hi\r'], 'the keys typed meanwhile reach the PTY');
    session.dispose();
  });

  it('a terminal closed while its PTY was still opening closes that PTY too (nothing left running)', async () => {
    const { socket, session } = setup();
    let opened!: () => void;
    const gate = new Promise<void>((r) => (opened = r));
    const open = socket.handlers['terminal.open']!;
    socket.handlers['terminal.open'] = async (p) => { await gate; return open(p); };
    const opening = session.open(80, 24);
    await tick();
    session.close();
    opened();
    await opening;
    assert.deepEqual(socket.methods('terminal.close'), [{ projectId: P, terminalId: T }]);
    assert.equal(socket.methods('terminal.attach').length, 0);
    assert.equal(socket.listenerCount, 0);
  });

  it('closes the PTY in the sandbox when the user closes the terminal', async () => {
    const { socket, session } = setup();
    await session.open(80, 24);
    session.close();
    assert.deepEqual(socket.methods('terminal.close'), [{ projectId: P, terminalId: T }]);
    assert.equal(socket.listenerCount, 0);
  });
});
