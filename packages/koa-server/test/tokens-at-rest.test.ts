import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTokenKey, Ms365TokenRefresher, userCacheKey } from '@odoo-sync/ms365-auth';
import { FakeEntraId } from '@odoo-sync/ms365-auth/testing';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Every byte SQLite wrote: the database file and its write-ahead log. */
function rawDatabase(path: string): string {
  return [path, `${path}-wal`]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

describe('Microsoft 365 tokens at rest in the SQLite file', () => {
  it('the raw database file holds no token, code or e-mail in plain text after sign-in and refresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-at-rest-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'store.db');
    const store = SqliteStore.open(path);
    cleanups.push(() => store.close());
    const entra = await FakeEntraId.start();
    cleanups.push(() => entra.close());
    const refresher = new Ms365TokenRefresher({
      ...entra.refresherOptions(),
      redirectUri: entra.redirectUris[0] as string,
      store,
      keyring: `k1:${generateTokenKey()}`,
      retry: false,
    });

    const person = entra.addUser({ upn: 'rosa.atrest@contoso.test', name: 'Rosa Atrest', email: 'rosa.atrest@contoso.test' });
    const { url, state } = await refresher.loginUrl();
    const back = entra.authorize(url, person.oid);
    const signedIn = await refresher.handleCallback({ code: back.code, state: back.state }, { expectedState: state });
    const first = await refresher.getToken(signedIn.userId, { forceRefresh: true });
    expect(first.accessToken.length).toBeGreaterThan(20);
    expect(await store.getToken(userCacheKey(signedIn.userId))).not.toBeNull();

    const raw = rawDatabase(path);
    // The read sees what was stored: the entry's key is there in clear, its blob is not.
    expect(raw.includes(userCacheKey(signedIn.userId))).toBe(true);
    expect(entra.issuedSecrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of entra.issuedSecrets) {
      expect(raw.includes(secret)).toBe(false);
      // Nor a recognisable part of one (a JWT's payload, a refresh token's body).
      for (const piece of secret.split('.').filter((part) => part.length > 20)) expect(raw.includes(piece)).toBe(false);
    }
    expect(raw.includes('rosa.atrest')).toBe(false);
    expect(raw.includes('Rosa Atrest')).toBe(false);
  });
});
