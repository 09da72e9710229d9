/**
 * Microsoft 365 sign-in for `odoo-sync demo`, without a tenant: a stand-in of Microsoft 365
 * (`FakeEntraId` of `@odoo-sync/ms365-auth/testing`) on loopback, whose sign-in page lists the
 * demo people drawn from the simulated Odoo. Its secrets (session secret, token keys, client
 * secret) are kept in the data directory so a restarted demo keeps its users and sessions.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { SyncStore } from '@odoo-sync/core';
import { generateTokenKey } from '@odoo-sync/ms365-auth';
import type { FakeEntraId } from '@odoo-sync/ms365-auth/testing';
import { z } from 'zod';
import { loadOdooDirectory } from '../linking/odoo-directory.js';
import { MICROSOFT_LOGIN_ORIGIN } from '../pages/viewer.js';
import type { Ms365Config, ServerConfig } from '../runtime/config.js';
import type { StartServerOptions } from '../runtime/composition.js';
import { Secret } from '../secret.js';
import { chooseDemoPeople, demoObjectId, type DemoPerson } from './demo-people.js';

/** Where the demo keeps the secrets of its sign-in, in the data directory. */
export const DEMO_SECRETS_FILE = 'demo-sign-in.json';

/** The stand-in's fixed directory and app ids (a restarted demo is the same tenant and app). */
const DEMO_TENANT_ID = '00000000-0000-4000-a000-00000000d3e0';
const DEMO_CLIENT_ID = '00000000-0000-4000-a000-00000000c11e';

const secretsSchema = z.object({ sessionSecret: z.string().min(32), tokenKeys: z.string().min(10), clientSecret: z.string().min(16) });

function demoSecrets(dataDir: string): z.infer<typeof secretsSchema> {
  const file = join(dataDir, DEMO_SECRETS_FILE);
  if (existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  }
  const secrets = { sessionSecret: randomBytes(32).toString('base64url'), tokenKeys: `k1:${generateTokenKey()}`, clientSecret: randomBytes(24).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(secrets)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** A free TCP port on `host` (the server must know its own callback URL before it starts). */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/** The demo's sign-in, started by {@link startDemoSignIn}. */
export interface DemoSignIn {
  /** The configuration to run the server with (port, sessions, Microsoft 365). */
  config: ServerConfig;
  /** The `startServer` options that point it at the stand-in. */
  options: Pick<StartServerOptions, 'ms365' | 'ms365LoginUrlForBrowser' | 'pages'>;
  /** The stand-in of Microsoft 365. */
  entra: FakeEntraId;
  /** Draws the demo people from the synced Odoo and lets them sign in; returns them. */
  addPeople(store: SyncStore): Promise<DemoPerson[]>;
  /** Stops the stand-in. */
  close(): Promise<void>;
}

/**
 * Starts the stand-in of Microsoft 365 for the demo and returns the configuration that uses it.
 * `cfg.ms365` set (a real tenant): `null`, the demo signs in with it instead.
 */
export async function startDemoSignIn(cfg: ServerConfig): Promise<DemoSignIn | null> {
  if (cfg.ms365 !== null) return null;
  const host = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
  const port = cfg.port === 0 ? await freePort(cfg.host) : cfg.port;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const secrets = demoSecrets(cfg.dataDir);
  const { FakeEntraId } = await import('@odoo-sync/ms365-auth/testing');
  const entra = await FakeEntraId.start({
    tenantId: DEMO_TENANT_ID,
    clientId: DEMO_CLIENT_ID,
    clientSecret: secrets.clientSecret,
    redirectUris: [`${base}/api/auth/callback`],
  });
  const ms365: Ms365Config = {
    clientId: entra.clientId,
    clientSecret: new Secret(entra.clientSecret),
    tenantId: entra.tenantId,
    allowedTenants: [],
    idleSignOutDays: 90,
    redirectUri: `${base}/api/auth/callback`,
    tokenKeys: new Secret(secrets.tokenKeys),
  };
  return {
    config: { ...cfg, port, ms365, sessionSecret: cfg.sessionSecret ?? new Secret(secrets.sessionSecret) },
    options: {
      ms365: entra.refresherOptions(),
      ms365LoginUrlForBrowser: (url) => entra.browserUrl(url),
      pages: { formActionOrigins: [MICROSOFT_LOGIN_ORIGIN, `http://${entra.host}`] },
    },
    entra,
    async addPeople(store) {
      const people = chooseDemoPeople(await loadOdooDirectory(store));
      const now = new Date();
      for (const person of people) {
        entra.addUser({ oid: demoObjectId(person.upn), upn: person.upn, name: person.name, description: person.description, otherMails: person.otherMails, proxyAddresses: person.proxyAddresses });
        // Approved people are recorded ahead: their first sign-in claims the record (and links them).
        if (person.status === 'approved' && (await store.getUserByEmail(person.upn)) === null) {
          await store.createUser({ id: randomUUID(), email: person.upn, name: person.name, role: person.role, status: 'approved' }, now);
        }
      }
      return people;
    },
    close: () => entra.close(),
  };
}
