/**
 * The server under test for the HTTP fault suite: the real `startServer` on 127.0.0.1 over a
 * SQLite file in a temp directory and the in-process odoo-sim, with Microsoft 365 pointed at a
 * FakeEntraId (or without Microsoft 365, the default configuration). Callers of every kind are
 * prepared: API keys of an admin, a user, a pending and a rejected user, and (with Microsoft 365)
 * browser sessions of an admin, a user and a pending user made by real sign-ins.
 * @module
 */
import { randomBytes, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { systemClock } from '@odoo-sync/core';
import { generateTokenKey } from '../../../packages/ms365-auth/src/index.js';
import { FakeEntraId } from '../../../packages/ms365-auth/src/testing/index.js';
import { createLogger, loadConfig, startServer, type RunningServer } from '../../../packages/koa-server/src/index.js';
// Internals the fault suite reaches into: keys issued straight into the store, the session cookie's name, the route table.
import { issueApiKey } from '../../../packages/koa-server/src/auth/api-keys.js';
import { SESSION_COOKIE } from '../../../packages/koa-server/src/auth/session.js';
import type { AnyRoute } from '../../../packages/koa-server/src/http/route.js';

/** One HTTP answer, body as text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** A request as the fuzz and the matrix send it: the path is sent as is (no URL normalisation). */
export interface RawRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/**
 * Sends `req` over a new socket with node:http, so odd paths (`..`, bad percent escapes) reach
 * the server exactly as written.
 */
export function send(baseUrl: string, req: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        agent: false,
        headers: { ...req.headers, ...(body !== undefined ? { 'Content-Length': String(body.length) } : {}) },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    // The server may answer (413) and close before it read a large body: keep the answer.
    let answered = false;
    outgoing.on('error', (err) => {
      if (!answered) reject(err);
    });
    outgoing.end(body);
  });
}

/** A browser's cookies: what Set-Cookie headers set, sent back in a Cookie header. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  take(headers: RawAnswer['headers']): void {
    const lines = headers['set-cookie'] ?? [];
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Someone who calls the API. */
export interface Caller {
  /** Short name for reports. */
  name: string;
  /** Headers that carry the credentials (the cookie header for sessions). */
  headers(): Record<string, string>;
  /** Whether the credentials are a session cookie (so CSRF rules apply). */
  cookie: boolean;
  /** The user id behind the credentials, when they are valid. */
  userId: string | null;
  /** What the route table's access rules should make of this caller. */
  kind: 'none' | 'invalid' | 'pending' | 'rejected' | 'user' | 'admin';
}

/** The running world. */
export interface HttpWorld {
  url: string;
  running: RunningServer;
  entra: FakeEntraId | null;
  /** The route table the app serves. */
  routes: readonly AnyRoute[];
  webhookSecret: string;
  /** Callers of every kind (sessions only with Microsoft 365). */
  callers: Caller[];
  /** Ids of the prepared users, by caller name. */
  userIds: Record<string, string>;
  /** API keys by caller name. */
  keys: Record<string, string>;
  /** Every secret that must never appear in an answer (read anew each time: Entra issues more). */
  secrets(): string[];
  /** Log lines written so far. */
  logLines: string[];
  /** Signs a new browser in through FakeEntraId (with Microsoft 365 only). */
  signIn(upn: string): Promise<{ jar: CookieJar; userId: string; csrfToken: string }>;
  close(): Promise<void>;
}

const SESSION_SECRET = `fuzz-session-secret-${randomBytes(16).toString('hex')}`;

/** Signs a cookie value the way Koa's keygrip does (HMAC-SHA1, base64url), to forge session cookies. */
export function signCookie(name: string, value: string, key = SESSION_SECRET): string {
  return createHmac('sha1', key).update(`${name}=${value}`).digest('base64url');
}

/** A session cookie for a random id, signed with the right key: a session the server never made. */
export function forgedSessionCookie(): string {
  const id = randomBytes(32).toString('base64url');
  return `${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}.sig=${signCookie(SESSION_COOKIE, id)}`;
}

/** Starts the server and prepares the callers. */
export async function startHttpWorld(options: { ms365: boolean }): Promise<HttpWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-http-faults-'));
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  };
  try {
    const entra = options.ms365 ? await FakeEntraId.start() : null;
    if (entra) cleanups.push(() => entra.close());
    const webhookSecret = `whs-${randomBytes(18).toString('base64url')}`;
    const bootstrapKey = `boot-${randomBytes(24).toString('base64url')}`;
    const tokenKey = generateTokenKey();
    const env: Record<string, string> = {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      STORE_URL: `sqlite:${join(dir, 'store.db')}`,
      WEBHOOK_SECRET: webhookSecret,
      ODOO_SYNC_BOOTSTRAP_ADMIN_KEY: bootstrapKey,
      ...(entra
        ? {
            MS365_CLIENT_ID: entra.clientId,
            MS365_CLIENT_SECRET: entra.clientSecret,
            MS365_TENANT_ID: entra.tenantId,
            MS365_REDIRECT_URI: entra.redirectUris[0] as string,
            TOKEN_KEYS: `k1:${tokenKey}`,
            SESSION_SECRET,
          }
        : {}),
    };
    const config = loadConfig(env, { envFile: false });
    const logLines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        callback();
      },
    });
    const pointAtFake = entra
      ? (({ clientId: _c, clientSecret: _s, tenantId: _t, ...rest }) => rest)(entra.refresherOptions())
      : undefined;
    const running = await startServer(config, {
      logger: createLogger({ level: 'info', destination }),
      processMetrics: false,
      simulator: { seed: 7, counts: { partners: 40, opportunities: 20, invoices: 20, employees: 8, users: 6 } },
      odooClient: { retries: 0 },
      ...(pointAtFake ? { ms365: { ...pointAtFake, retry: false } } : {}),
    });
    cleanups.push(() => running.close());
    const url = running.url;
    const store = running.store;
    // One full sync first, so record routes have records (and cursors) to serve.
    const { done } = await running.scheduler.startRun({ mode: 'full', trigger: 'manual', force: true });
    const synced = await done;
    if (synced.status !== 'success') throw new Error(`the first sync failed: ${JSON.stringify(synced.entries.map((e) => e.error))}`);

    const keys: Record<string, string> = { admin: bootstrapKey };
    const userIds: Record<string, string> = {};
    const user = await issueApiKey(store, { email: 'user@fuzz.test', role: 'user', clock: systemClock });
    keys['user'] = user.key;
    userIds['user'] = user.user.id;
    for (const status of ['pending', 'rejected'] as const) {
      const created = await store.createUser({ id: `${status}-fuzz`, email: `${status}@fuzz.test`, name: status, role: 'user', status }, new Date());
      keys[status] = (await issueApiKey(store, { email: created.email, role: 'user', clock: systemClock })).key;
      userIds[status] = created.id;
    }
    const adminAnswer = await send(url, { method: 'GET', path: '/api/auth/me', headers: { Authorization: `Bearer ${bootstrapKey}` } });
    userIds['admin'] = (adminAnswer.json as { user: { id: string } }).user.id;

    const bearer = (key: string) => () => ({ Authorization: `Bearer ${key}` });
    const callers: Caller[] = [
      { name: 'none', headers: () => ({}), cookie: false, userId: null, kind: 'none' },
      { name: 'bad key', headers: bearer(`osk_${randomBytes(24).toString('base64url')}`), cookie: false, userId: null, kind: 'invalid' },
      { name: 'malformed bearer', headers: () => ({ Authorization: 'Bearer' }), cookie: false, userId: null, kind: 'invalid' },
      { name: 'pending key', headers: bearer(keys['pending']!), cookie: false, userId: userIds['pending']!, kind: 'pending' },
      { name: 'rejected key', headers: bearer(keys['rejected']!), cookie: false, userId: userIds['rejected']!, kind: 'rejected' },
      { name: 'user key', headers: bearer(keys['user']), cookie: false, userId: userIds['user'], kind: 'user' },
      { name: 'admin key', headers: bearer(keys['admin']!), cookie: false, userId: userIds['admin'], kind: 'admin' },
    ];

    const jars: CookieJar[] = [];
    async function signIn(upn: string): Promise<{ jar: CookieJar; userId: string; csrfToken: string }> {
      if (!entra) throw new Error('signIn needs Microsoft 365');
      const person = entra.addUser({ upn, name: upn.split('@')[0]! });
      const jar = new CookieJar();
      const login = await send(url, { method: 'GET', path: '/api/auth/login' });
      jar.take(login.headers);
      const microsoft = String(login.headers['location'] ?? '');
      const back = new URL(entra.authorize(microsoft, person.oid).redirectUrl);
      const callback = await send(url, { method: 'GET', path: `${back.pathname}${back.search}`, headers: { Cookie: jar.header() } });
      jar.take(callback.headers);
      if (callback.status !== 302 || !jar.cookies.has(SESSION_COOKIE)) throw new Error(`sign-in of ${upn} failed: ${callback.status} ${callback.text}`);
      const me = await send(url, { method: 'GET', path: '/api/auth/me', headers: { Cookie: jar.header() } });
      jars.push(jar);
      const answer = me.json as { user: { id: string }; csrfToken: string };
      return { jar, userId: answer.user.id, csrfToken: answer.csrfToken };
    }

    if (entra) {
      const asAdmin = { Authorization: `Bearer ${bootstrapKey}`, 'Content-Type': 'application/json' };
      const sessionAdmin = await signIn('boss@contoso.test');
      const sessionUser = await signIn('ana@contoso.test');
      const sessionPending = await signIn('pat@contoso.test');
      for (const id of [sessionAdmin.userId, sessionUser.userId]) {
        const approved = await send(url, { method: 'POST', path: `/api/admin/users/${id}/approve`, headers: asAdmin });
        if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${approved.text}`);
      }
      const promoted = await send(url, { method: 'PUT', path: `/api/admin/users/${sessionAdmin.userId}/role`, headers: asAdmin, body: JSON.stringify({ role: 'admin' }) });
      if (promoted.status !== 200) throw new Error(`role change failed: ${promoted.status} ${promoted.text}`);
      const session = (name: string, jar: CookieJar, userId: string, kind: Caller['kind'], csrfToken: string): Caller => {
        userIds[name] = userId;
        // As a page of the server sends it: the session's CSRF token with every request.
        return { name, headers: () => ({ Cookie: jar.header(), Origin: url, 'X-CSRF-Token': csrfToken }), cookie: true, userId, kind };
      };
      callers.push(
        { name: 'forged session', headers: () => ({ Cookie: forgedSessionCookie(), Origin: url }), cookie: true, userId: null, kind: 'invalid' },
        session('pending session', sessionPending.jar, sessionPending.userId, 'pending', sessionPending.csrfToken),
        session('user session', sessionUser.jar, sessionUser.userId, 'user', sessionUser.csrfToken),
        session('admin session', sessionAdmin.jar, sessionAdmin.userId, 'admin', sessionAdmin.csrfToken),
      );
    }

    const fixed = [
      webhookSecret,
      bootstrapKey,
      keys['user'],
      keys['pending']!,
      keys['rejected']!,
      running.simulator?.apiKey ?? '',
      ...(entra ? [entra.clientSecret, SESSION_SECRET, tokenKey] : []),
    ].filter((s) => s.length >= 8);
    return {
      url,
      running,
      entra,
      routes: running.app.routes,
      webhookSecret,
      callers,
      userIds,
      keys,
      logLines,
      signIn,
      secrets() {
        const sessions = jars.flatMap((jar) => [...jar.cookies].filter(([name]) => name.startsWith(SESSION_COOKIE)).map(([, value]) => value));
        return [...fixed, ...sessions, ...(entra?.issuedSecrets ?? [])].filter((s) => s.length >= 8);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

const STACK = [/\n\s+at\s+\S/, /\bat\s+[\w.<>$]+\s+\((?:file:|\/|node:)/, /node:internal/, /node_modules\//, /\/src\/[\w/.-]+\.[cm]?[jt]s\b/];

/** What is wrong with an answer's body and headers: a stack trace or a secret (empty when nothing). */
export function leaksIn(answer: RawAnswer, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  const headerText = Object.entries(answer.headers)
    .filter(([name]) => name !== 'set-cookie')
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\n');
  for (const pattern of STACK) if (pattern.test(answer.text)) problems.push(`stack trace in body (${String(pattern)})`);
  for (const secret of secrets) {
    if (answer.text.includes(secret)) problems.push(`secret in body (${secret.slice(0, 4)}…)`);
    if (headerText.includes(secret)) problems.push(`secret in a header (${secret.slice(0, 4)}…)`);
  }
  return problems;
}

/**
 * A fresh browser session of a new person (a real sign-in through FakeEntraId), approved and
 * made admin by the bootstrap admin as asked. Throws when the world has no Microsoft 365.
 */
export async function sessionOf(world: HttpWorld, upn: string, kind: 'pending' | 'user' | 'admin'): Promise<{ userId: string; cookie: string; csrfToken: string }> {
  const { jar, userId, csrfToken } = await world.signIn(upn);
  const asAdmin = { Authorization: `Bearer ${world.keys['admin']}`, 'Content-Type': 'application/json' };
  if (kind !== 'pending') {
    const approved = await send(world.url, { method: 'POST', path: `/api/admin/users/${userId}/approve`, headers: asAdmin });
    if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${approved.text}`);
  }
  if (kind === 'admin') {
    const promoted = await send(world.url, { method: 'PUT', path: `/api/admin/users/${userId}/role`, headers: asAdmin, body: '{"role":"admin"}' });
    if (promoted.status !== 200) throw new Error(`role change failed: ${promoted.status} ${promoted.text}`);
  }
  return { userId, cookie: jar.header(), csrfToken };
}
