/**
 * The mass-deletion guard, and webhook storms. Deleting more than the guard allows in Odoo
 * blocks those deletions (nothing is tombstoned, an alert goes out) until a forced run applies
 * them; fewer pass. A storm of 1 000 webhooks for one record within a second is answered
 * without a single 5xx and costs one re-read of the record from Odoo, not a thousand; the
 * store then holds the record's last version. Each case ends with the store equal to Odoo.
 */
import { request } from 'node:http';
import type { Alert } from '@odoo-sync/core';
import { ENTITY_SPECS } from '@odoo-sync/core';
import { SeededRandom } from '../../packages/odoo-sim/src/prng.js';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, expect, it } from 'vitest';
import { describeComparison } from './support/compare.js';
import { recordFigures } from './support/figures.js';
import { startInProcess } from './support/in-process.js';
import { startOdooProxy } from './support/odoo-proxy.js';
import { runAndWait, waitFor, WEBHOOK_SECRET } from './support/processes.js';
import { createWorld } from './support/scenario.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const WEBHOOKS_PER_STORM = 1000;

/**
 * POSTs JSON on a connection of its own (no keep-alive pool: a pooled connection the server
 * closes as idle just as it is reused would fail the request on the client's side).
 */
function postJson(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
const STORMS = 3;

it('the mass-deletion guard blocks a deletion of 35 % until a forced run, lets 10 % through; opportunities and invoices', { timeout: 120_000 }, async () => {
  const world = await createWorld(5101);
  cleanups.push(() => world.close());
  const alerts: Alert[] = [];
  const server = await startInProcess(world.setup(), { notifier: { notify: async (alert) => void alerts.push(alert) } });
  cleanups.push(() => server.close());
  const random = new SeededRandom(5101);
  expect((await runAndWait(server.url, { mode: 'full' })).entries.every((e) => e.status === 'success')).toBe(true);
  let compared = 0;
  let repetitions = 0;
  for (const entity of ['opportunity', 'invoice'] as const) {
    const spec = ENTITY_SPECS[entity];
    for (const share of [0.1, 0.35]) {
      repetitions++;
      const ids = world.sim.searchRead(spec.model, [...spec.domain] as unknown[], { fields: ['id'], activeTest: false }).map((r) => r['id']);
      const doomed = ids.filter(() => random.next() < share);
      world.sim.unlink(spec.model, doomed);
      const blocked = share > 0.2;
      const run = await runAndWait(server.url, { mode: 'full' });
      const entry = run.entries.find((e) => e.entity === entity)!;
      const store = SqliteStore.open(world.storePath);
      const stillLive = new Set(await store.listLiveIds(entity));
      await store.close();
      if (blocked) {
        expect(entry.status).toBe('failed');
        expect(entry.error?.code).toBe('mass_deletion_blocked');
        expect(doomed.filter((id) => !stillLive.has(id)), 'nothing deleted past the guard').toEqual([]);
        expect(alerts.some((a) => a.kind === 'mass_deletion_blocked')).toBe(true);
        const forced = await runAndWait(server.url, { mode: 'full', force: true });
        expect(forced.entries.every((e) => e.status === 'success')).toBe(true);
      } else {
        expect(entry.status).toBe('success');
      }
      const comparison = await world.compare();
      compared += comparison.compared;
      expect(comparison, describeComparison(comparison)).toMatchObject({ missing: 0, extra: 0, different: 0 });
    }
  }
  recordFigures({ scenario: 'mass-deletion guard (10 % passes, 35 % blocked until forced)', repetitions, recordsCompared: compared, mismatches: 0 });
});

it(`a storm of ${WEBHOOKS_PER_STORM} webhooks for one record sent at once: no 5xx, one re-read (not one per webhook), the last version stored; ${STORMS} storms`, { timeout: 120_000 }, async () => {
  const world = await createWorld(5102);
  cleanups.push(() => world.close());
  const proxy = await startOdooProxy(world.sim.url);
  cleanups.push(() => proxy.close());
  const server = await startInProcess(world.setup(proxy.url));
  cleanups.push(() => server.close());
  expect((await runAndWait(server.url, { mode: 'full' })).entries.every((e) => e.status === 'success')).toBe(true);
  const random = new SeededRandom(5102);
  const leads = world.sim.searchRead('crm.lead', [['type', '=', 'opportunity']], { fields: ['id'] }).map((r) => r['id']);
  const url = `${server.url}/api/sync/webhook/${WEBHOOK_SECRET}`;
  let requests = 0;
  let reads = 0;
  let compared = 0;
  const readsPerStorm: number[] = [];
  const spans: number[] = [];
  for (let storm = 0; storm < STORMS; storm++) {
    const id = leads[random.int(0, leads.length - 1)] as number;
    world.sim.write('crm.lead', [id], { probability: random.int(0, 100), name: `Storm ${storm} deal ${random.hex(4)}` });
    const before = proxy.requests;
    const sentAt = performance.now();
    const answers = await Promise.all(
      Array.from({ length: WEBHOOKS_PER_STORM }, () =>
        postJson(url, { _model: 'crm.lead', _id: id }),
      ),
    );
    const spanMs = performance.now() - sentAt;
    spans.push(Math.round(spanMs));
    requests += answers.length;
    const failures = answers.filter((status) => status >= 300);
    expect(failures.length, `storm ${storm}: ${failures.length} answers not 2xx (${failures.filter((s) => s >= 500).length} 5xx)`).toBe(0);
    // The record's new version lands (at once, or after the burst settles when webhooks are queued).
    let comparison = await world.compare(['opportunity']);
    await waitFor(async () => {
      comparison = await world.compare(['opportunity']);
      return comparison.missing + comparison.extra + comparison.different === 0;
    }, 30_000, `the record of storm ${storm} to be stored`).catch(() => undefined);
    compared += comparison.compared;
    expect(comparison, describeComparison(comparison)).toMatchObject({ missing: 0, extra: 0, different: 0 });
    const stormReads = proxy.requests - before;
    readsPerStorm.push(stormReads);
    reads += stormReads;
  }
  recordFigures({ scenario: `webhook storms (${WEBHOOKS_PER_STORM} webhooks for one record)`, repetitions: STORMS, recordsCompared: compared, requests, note: `Odoo requests per storm: ${readsPerStorm.join(', ')} (${reads} in all); storms delivered in ${spans.join(', ')} ms` });
  // One re-read for a storm delivered within a second, and a second one for webhooks that came in
  // while it ran. A loaded machine takes longer to deliver 1 000 requests: one more read is
  // allowed per further second the storm lasted, never one per webhook.
  readsPerStorm.forEach((stormReads, i) => expect(stormReads, `storm ${i} delivered in ${spans[i]} ms`).toBeLessThanOrEqual(2 + Math.floor(spans[i]! / 1000)));
});
