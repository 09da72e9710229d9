import { request } from 'node:http';
import { connect } from 'node:net';
import { MemorySource, MemoryStore } from '@odoo-sync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startServer, type RunningServer } from '../src/runtime/composition.js';
import { seedSource } from './helpers.js';

let running: RunningServer;
beforeAll(async () => {
  const source = new MemorySource();
  seedSource(source);
  running = await startServer(loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' }, { envFile: false }), {
    store: new MemoryStore(),
    source,
    logger: createLogger({ level: 'silent' }),
    processMetrics: false,
  });
});
afterAll(async () => {
  await running.close();
});

/** Sends raw bytes and reads the whole answer (the server closes the connection). */
function raw(bytes: string): Promise<string> {
  const { port } = new URL(running.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function get(path: string): Promise<{ status: number; type: string; json: any }> {
  const { port } = new URL(running.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requests Node refuses before the app', () => {
  it('answers a URL over the header size limit with a typed 431, and keeps serving', async () => {
    const answer = await get(`/api/contacts?q=${'x'.repeat(20_000)}`);
    expect(answer.status).toBe(431);
    expect(answer.type).toContain('application/json');
    expect(answer.json).toMatchObject({ error: { code: 'headers_too_large', message: expect.any(String) } });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('answers bytes that are not HTTP with a typed 400', async () => {
    const answer = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'malformed_request' } });
    expect((await get('/healthz')).status).toBe(200);
  });
});
