import { describe, expect, it } from 'vitest';
import { ENTITY_SPECS, MemoryStore, type OdooRow, Reconciler, type SourceQuery } from '@odoo-sync/core';
import { sourceQueryOf } from '../../core/src/entities/entities.js';
import { OdooModelNotFoundError, OdooSource, OdooValidationError } from '../src/index.js';
import { clientOf, countingFetch, PROTOCOLS, rejectionOf, startSim } from './helpers.js';

const partners: SourceQuery = {
  entity: 'contact',
  model: 'res.partner',
  domain: [],
  fields: ['name', 'email', 'is_company', 'parent_id', 'write_date', 'active'],
};

async function collect<T>(pages: AsyncIterable<T[]>): Promise<{ pages: T[][]; all: T[] }> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return { pages: out, all: out.flat() };
}

/** A settable clock for the simulator, so rows share a write second on purpose. */
function manualClock(start: string) {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => {
      now = new Date(iso);
    },
  };
}

describe.each(PROTOCOLS)('OdooSource over %s against odoo-sim', (protocol) => {
  it('reads every row by id keyset, archived included, in pages of at most pageSize', async () => {
    const sim = await startSim();
    const archived = sim.create('res.partner', { name: 'Archived', active: false });
    const counter = countingFetch();
    const source = new OdooSource(clientOf(sim, protocol, { fetch: counter.fetch }));
    const { pages, all } = await collect(source.readChanged(partners, { since: null, pageSize: 7 }));
    const expected = sim.searchRead('res.partner', [['active', 'in', [true, false]]], { fields: ['name'], order: 'id asc' }).map((row) => row.id);
    expect(all.map((row) => row.id)).toEqual(expected);
    expect(pages.every((page) => page.length <= 7)).toBe(true);
    expect(all.find((row) => row.id === archived)).toMatchObject({ active: false });
    // Normalised by default, and only the query's fields.
    for (const row of all) expect(Object.keys(row).sort()).toEqual(['active', 'email', 'id', 'is_company', 'name', 'parent_id', 'write_date']);
    expect(all.every((row) => typeof row['write_date'] === 'string' && row['write_date'].endsWith('Z'))).toBe(true);
  });

  it('pages with id > last, never with an offset', async () => {
    const sim = await startSim();
    const calls: Array<Record<string, unknown>> = [];
    const client = clientOf(sim, protocol);
    const searchRead = client.searchRead.bind(client);
    client.searchRead = (model, domain, options) => {
      calls.push({ domain, ...options });
      return searchRead(model, domain, options);
    };
    await collect(new OdooSource(client).readChanged(partners, { since: null, pageSize: 10 }));
    expect(calls.length).toBeGreaterThan(2);
    for (const call of calls) {
      expect(call['offset']).toBeUndefined();
      expect(call['order']).toBe('id asc');
      expect(call['context']).toMatchObject({ active_test: false });
    }
    expect(calls[1]!['domain']).toContainEqual(['id', '>', expect.any(Number)]);
  });

  it('reads changes since a date ordered by (write_date, id), with same-second ties across page boundaries', async () => {
    const clock = manualClock('2099-03-01T09:00:00Z');
    const sim = await startSim({ now: clock.now, counts: { partners: 5, opportunities: 0, invoices: 0, employees: 0, users: 1 } });
    // 13 rows in one second, 1 in the next, 9 in a third: pages of 5 cut inside each second.
    const created: number[] = [];
    clock.set('2099-03-01T10:00:00.100Z');
    for (let i = 0; i < 13; i++) created.push(sim.create('res.partner', { name: `tie A${i}` }));
    clock.set('2099-03-01T10:00:01.000Z');
    created.push(sim.create('res.partner', { name: 'single B' }));
    clock.set('2099-03-01T10:00:02.900Z');
    for (let i = 0; i < 9; i++) created.push(sim.create('res.partner', { name: `tie C${i}`, active: i % 2 === 0 }));
    // An older row rewritten in the middle second: it moves to that second.
    const rewritten = created[2]!;
    clock.set('2099-03-01T10:00:01.500Z');
    sim.write('res.partner', [rewritten], { name: 'rewritten' });

    const source = new OdooSource(clientOf(sim, protocol), { normalize: false });
    const { pages, all } = await collect(source.readChanged(partners, { since: new Date('2099-03-01T10:00:00Z'), pageSize: 5 }));
    const ids = all.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual([...created].sort((a, b) => a - b));
    expect(pages.every((page) => page.length <= 5)).toBe(true);
    const keys = all.map((row) => `${String(row['write_date'])}#${String(row.id).padStart(8, '0')}`);
    expect(keys).toEqual([...keys].sort());
    expect(all.find((row) => row.id === rewritten)?.['write_date']).toBe('2099-03-01 10:00:01');
  });

  it('reads nothing older than since, and everything from its second on', async () => {
    const clock = manualClock('2099-03-01T09:00:00Z');
    const sim = await startSim({ now: clock.now, counts: { partners: 3, opportunities: 0, invoices: 0, employees: 0, users: 1 } });
    clock.set('2099-03-01T11:59:59Z');
    sim.create('res.partner', { name: 'before' });
    clock.set('2099-03-01T12:00:00Z');
    const at = sim.create('res.partner', { name: 'at' });
    clock.set('2099-03-01T12:00:05Z');
    const after = sim.create('res.partner', { name: 'after' });
    const source = new OdooSource(clientOf(sim, protocol));
    const { all } = await collect(source.readChanged(partners, { since: new Date('2099-03-01T12:00:00.400Z'), pageSize: 100 }));
    expect(all.map((row) => row.id)).toEqual([at, after]);
  });

  it('sweeps all ids (archived included) in pages, reading ids only', async () => {
    const sim = await startSim();
    sim.create('res.partner', { name: 'gone quiet', active: false });
    const counter = countingFetch();
    const source = new OdooSource(clientOf(sim, protocol, { fetch: counter.fetch }));
    const query: SourceQuery = { ...partners, domain: [['is_company', '=', false]] };
    const { pages, all } = await collect(source.readAllIds(query, { pageSize: 6 }));
    const expected = sim.searchRead('res.partner', [['is_company', '=', false], ['active', 'in', [true, false]]], { fields: ['name'], order: 'id asc' }).map((r) => r.id);
    expect(all).toEqual(expected);
    expect(pages.every((page) => page.length <= 6)).toBe(true);
    expect(counter.paths.some((path) => path.includes('search_read'))).toBe(false);
  });

  it('reads by ids: only those that exist and match the domain', async () => {
    const sim = await startSim();
    const company = sim.create('res.partner', { name: 'Co', is_company: true });
    const person = sim.create('res.partner', { name: 'Pe', is_company: false, active: false });
    const deleted = sim.create('res.partner', { name: 'Del', is_company: false });
    sim.unlink('res.partner', [deleted]);
    const source = new OdooSource(clientOf(sim, protocol), { pageSize: 2 });
    const rows = await source.readByIds({ ...partners, domain: [['is_company', '=', false]] }, [company, person, deleted, person]);
    expect(rows.map((row: OdooRow) => row.id)).toEqual([person]);
    expect(await source.readByIds(partners, [])).toEqual([]);
  });

  it('fails with odoo_model_not_found when the module is not installed', async () => {
    const sim = await startSim();
    sim.faults.uninstall('crm.lead');
    const source = new OdooSource(clientOf(sim, protocol));
    const query = sourceQueryOf(ENTITY_SPECS.opportunity);
    expect(await rejectionOf(collect(source.readChanged(query, { since: null, pageSize: 10 })))).toBeInstanceOf(OdooModelNotFoundError);
    expect(await rejectionOf(collect(source.readAllIds(query, { pageSize: 10 })))).toBeInstanceOf(OdooModelNotFoundError);
  });

  it('fails with odoo_validation_failed before reading when a field does not exist', async () => {
    const sim = await startSim();
    const source = new OdooSource(clientOf(sim, protocol));
    const error = await rejectionOf(collect(source.readChanged({ ...partners, fields: ['name', 'mobile_legacy'] }, { since: null, pageSize: 10 })));
    expect(error).toBeInstanceOf(OdooValidationError);
  });

  it('stops when aborted', async () => {
    const sim = await startSim();
    const source = new OdooSource(clientOf(sim, protocol));
    const controller = new AbortController();
    const reason = new Error('shutdown');
    const pages: OdooRow[][] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const page of source.readChanged(partners, { since: null, pageSize: 5, signal: controller.signal })) {
          pages.push(page);
          controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(pages).toHaveLength(1);
  });

  it('feeds the core Reconciler: a full run stores every contact and account', async () => {
    const sim = await startSim();
    const store = new MemoryStore();
    const reconciler = new Reconciler({ source: new OdooSource(clientOf(sim, protocol)), store, entities: ['account', 'contact'], retry: false });
    const result = await reconciler.run({ mode: 'full' });
    expect(result.entries.map((entry) => [entry.entity, entry.status, entry.error])).toEqual([
      ['account', 'success', null],
      ['contact', 'success', null],
    ]);
    const contacts = sim.count('res.partner', [['is_company', '=', false], ['active', 'in', [true, false]]]);
    const counts = await store.countRecords('contact');
    expect(counts.active + counts.archived).toBe(contacts);
    expect(result.entries[1]!.counts.invalid).toBe(0);
  });
});
