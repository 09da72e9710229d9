/**
 * Shutdown does not wait for connections a browser keeps open: an opened connection that never
 * sent a request (Chromium opens spare ones) and a kept-alive one whose answer was sent are
 * closed at once, so the server stops long before its shutdown timeout.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { loadConfig, startServer, type RunningServer } from '../src/index.js';

let running: RunningServer | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await running?.close();
  running = null;
});

async function open(url: string): Promise<Socket> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  return socket;
}

it('stops without waiting for a spare connection or a kept-alive one', { timeout: 60_000 }, async () => {
  // Ten minutes: a stop that waited for either connection would fail the test's own timeout.
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_SECONDS: '600' }, { envFile: false });
  running = await startServer(config, {});
  const spare = await open(running.url);
  const keptAlive = await open(running.url);
  let answer = '';
  keptAlive.on('data', (chunk: string) => (answer += chunk));
  keptAlive.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  while (!answer.includes('\r\n\r\n')) await once(keptAlive, 'data');
  expect(answer).toMatch(/^HTTP\/1\.1 200/);
  const closed = [once(spare, 'close'), once(keptAlive, 'close')];
  await running.close();
  running = null;
  await Promise.all(closed);
});
