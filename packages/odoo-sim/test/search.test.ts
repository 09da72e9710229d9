import { describe, expect, it } from 'vitest';
import type { OdooSim } from '../src/index.js';
import { executeKw, json2, useEmptySim } from './helpers.js';

interface Fixture {
  sim: OdooSim;
  acme: number;
  zoe: number;
  jose: number;
  archived: number;
  beta: number;
  ids: number[];
}

async function fixture(): Promise<Fixture> {
  const sim = await useEmptySim({ version: '19.0' });
  const acme = sim.create('res.partner', { name: 'Acme', is_company: true, email: 'info@acme.example.com', customer_rank: 3 });
  const zoe = sim.create('res.partner', { name: 'Zoë Müller', parent_id: acme, email: 'ZOE@acme.example.com', phone: '+32 1' });
  const jose = sim.create('res.partner', { name: 'José García', email: false, customer_rank: 1 });
  const archived = sim.create('res.partner', { name: 'jose garcia', active: false, email: 'jose@old.example.com' });
  const beta = sim.create('res.partner', { name: 'Beta_50%', is_company: true, customer_rank: 7 });
  return { sim, acme, zoe, jose, archived, beta, ids: [acme, zoe, jose, archived, beta] };
}

/** Ids matching `domain` among the fixture rows (JSON-2 search, ordered by id). */
async function match(f: Fixture, domain: unknown[], context: Record<string, unknown> = {}): Promise<number[]> {
  const res = await json2(f.sim, 'res.partner', 'search', { domain: ['&', ['id', 'in', f.ids], ...wrap(domain)], order: 'id', context });
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body as number[];
}

/** Turns an implicit-AND domain into a single prefix term so it can be combined. */
function wrap(domain: unknown[]): unknown[] {
  if (domain.length === 0) return [[1, '=', 1]];
  let count = 0;
  for (const term of domain) if (Array.isArray(term)) count++;
  else if (term === '&' || term === '|') count--;
  return [...Array.from({ length: count - 1 }, () => '&'), ...domain];
}

describe('domains: every operator, with Odoo NULL semantics', () => {
  it('= and != (empty values match = False; != also matches empty)', async () => {
    const f = await fixture();
    expect(await match(f, [['name', '=', 'Acme']])).toEqual([f.acme]);
    expect(await match(f, [['email', '=', false]])).toEqual([f.jose, f.beta]);
    expect(await match(f, [['email', '!=', false]])).toEqual([f.acme, f.zoe]);
    expect(await match(f, [['parent_id', '!=', f.acme]])).toEqual([f.acme, f.jose, f.beta]);
    expect(await match(f, [['parent_id', '=', f.acme]])).toEqual([f.zoe]);
    expect(await match(f, [['is_company', '=', true]])).toEqual([f.acme, f.beta]);
    expect(await match(f, [['is_company', '!=', true]])).toEqual([f.zoe, f.jose]);
    expect(await match(f, [['name', '<>', 'Acme']])).toEqual([f.zoe, f.jose, f.beta]);
  });

  it('>, >=, <, <= on integers, strings and datetimes', async () => {
    const f = await fixture();
    expect(await match(f, [['id', '>', f.jose]])).toEqual([f.beta]);
    expect(await match(f, [['id', '>=', f.jose]])).toEqual([f.jose, f.beta]);
    expect(await match(f, [['customer_rank', '<', 3]])).toEqual([f.zoe, f.jose]);
    expect(await match(f, [['customer_rank', '<=', 3]])).toEqual([f.acme, f.zoe, f.jose]);
    expect(await match(f, [['name', '>', 'Beta']])).toEqual([f.zoe, f.jose, f.beta]);
    // Strings compare by code point (a database with the C collation): 'Z' < 'i' < 'z'.
    expect(await match(f, [['email', '<', 'z']])).toEqual([f.acme, f.zoe]);
    expect(await match(f, [['email', '<', 'a']])).toEqual([f.zoe]);
    expect(await match(f, [['write_date', '>=', '2000-01-01']])).toEqual([f.acme, f.zoe, f.jose, f.beta]);
    expect(await match(f, [['write_date', '<', '2000-01-01T00:00:00Z']])).toEqual([]);
  });

  it('in and not in (False in the list means empty)', async () => {
    const f = await fixture();
    expect(await match(f, [['name', 'in', ['Acme', 'Beta_50%', 'nope']]])).toEqual([f.acme, f.beta]);
    expect(await match(f, [['id', 'in', []]])).toEqual([]);
    expect(await match(f, [['parent_id', 'in', [f.acme, false]]])).toEqual([f.acme, f.zoe, f.jose, f.beta]);
    expect(await match(f, [['parent_id', 'not in', [f.acme]]])).toEqual([f.acme, f.jose, f.beta]);
    expect(await match(f, [['parent_id', 'not in', [false]]])).toEqual([f.zoe]);
    expect(await match(f, [['email', 'not in', ['info@acme.example.com']]])).toEqual([f.zoe, f.jose, f.beta]);
    expect(await match(f, [['is_company', 'in', [true]]])).toEqual([f.acme, f.beta]);
  });

  it('like, ilike, not like, not ilike, =like, =ilike (% and _ are wildcards)', async () => {
    const f = await fixture();
    expect(await match(f, [['name', 'like', 'jos']])).toEqual([]);
    expect(await match(f, [['name', 'ilike', 'JOSÉ']])).toEqual([f.jose]);
    expect(await match(f, [['email', 'like', 'acme']])).toEqual([f.acme, f.zoe]);
    expect(await match(f, [['email', 'like', 'ZOE']])).toEqual([f.zoe]);
    expect(await match(f, [['email', 'not ilike', 'acme']])).toEqual([f.jose, f.beta]);
    expect(await match(f, [['email', 'not like', 'ZOE']])).toEqual([f.acme, f.jose, f.beta]);
    expect(await match(f, [['name', '=like', 'Acm_']])).toEqual([f.acme]);
    expect(await match(f, [['name', '=ilike', 'acme']])).toEqual([f.acme]);
    expect(await match(f, [['name', '=like', 'Acm']])).toEqual([]);
    expect(await match(f, [['name', 'like', 'a_5']])).toEqual([f.beta]);
  });

  it('=? is a no-op for empty values and = otherwise', async () => {
    const f = await fixture();
    expect(await match(f, [['email', '=?', false]])).toEqual([f.acme, f.zoe, f.jose, f.beta]);
    expect(await match(f, [['name', '=?', 'Acme']])).toEqual([f.acme]);
  });

  it('&, | and ! in prefix notation', async () => {
    const f = await fixture();
    expect(await match(f, ['|', ['name', '=', 'Acme'], ['name', '=', 'Beta_50%']])).toEqual([f.acme, f.beta]);
    expect(await match(f, ['!', ['is_company', '=', true]])).toEqual([f.zoe, f.jose]);
    expect(await match(f, ['&', ['is_company', '=', true], '!', ['name', 'ilike', 'acme']])).toEqual([f.beta]);
    expect(await match(f, ['|', '&', ['is_company', '=', true], ['customer_rank', '>', 5], ['phone', '!=', false]])).toEqual([f.zoe, f.beta]);
    expect(await match(f, ['!', '|', ['is_company', '=', true], ['email', '=', false]])).toEqual([f.zoe]);
  });

  it('relational leaves: many2one by name, dotted paths, any, x2many, child_of, parent_of', async () => {
    const f = await fixture();
    expect(await match(f, [['parent_id', 'ilike', 'acm']])).toEqual([f.zoe]);
    expect(await match(f, [['parent_id', '=', 'Acme']])).toEqual([f.zoe]);
    expect(await match(f, [['parent_id.email', 'ilike', 'info@']])).toEqual([f.zoe]);
    expect(await match(f, [['child_ids', 'any', [['name', 'ilike', 'zoë']]]])).toEqual([f.acme]);
    expect(await match(f, [['child_ids', '!=', false]])).toEqual([f.acme]);
    expect(await match(f, [['child_ids', 'in', [f.zoe]]])).toEqual([f.acme]);
    expect(await match(f, [['id', 'child_of', f.acme]])).toEqual([f.acme, f.zoe]);
    expect(await match(f, [['id', 'parent_of', f.zoe]])).toEqual([f.acme, f.zoe]);
    expect(await match(f, [['commercial_partner_id', '=', f.acme]])).toEqual([f.acme, f.zoe]);
  });

  it('works the same over XML-RPC', async () => {
    const f = await fixture();
    expect(await executeKw(f.sim, 'res.partner', 'search', [['&', ['id', 'in', f.ids], '|', ['email', 'ilike', 'ZOE'], ['email', '=', false]]], { order: 'id' })).toEqual([f.zoe, f.jose, f.beta]);
  });
});

describe('active_test', () => {
  it('hides archived rows unless the context says active_test: false or the domain names active', async () => {
    const f = await fixture();
    expect(await match(f, [['name', 'ilike', 'jos']])).toEqual([f.jose]);
    expect(await match(f, [['name', 'ilike', 'jos']], { active_test: false })).toEqual([f.jose, f.archived]);
    expect(await match(f, [['active', '=', false]])).toEqual([f.archived]);
    expect(await match(f, [['active', 'in', [true, false]]])).toEqual([f.acme, f.zoe, f.jose, f.archived, f.beta]);
    expect(f.sim.count('res.partner', [['id', 'in', f.ids]])).toBe(4);
    expect(f.sim.count('res.partner', [['id', 'in', f.ids]], { activeTest: false })).toBe(5);
    // read by id ignores active_test, like Odoo.
    expect((await json2(f.sim, 'res.partner', 'read', { ids: [f.archived], fields: ['active'] })).body).toEqual([{ id: f.archived, active: false }]);
  });

  it('does not apply to models without an active field', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const move = sim.create('account.move', { move_type: 'out_invoice' });
    expect((await json2(sim, 'account.move', 'search', { domain: [['id', '=', move]] })).body).toEqual([move]);
  });
});

describe('order, limit, offset', () => {
  it('orders by any stored field, asc/desc, nulls first/last, with PostgreSQL defaults', async () => {
    const f = await fixture();
    const order = async (spec: string) => ((await json2(f.sim, 'res.partner', 'search', { domain: [['id', 'in', f.ids]], order: spec })).body as number[]);
    expect(await order('name asc')).toEqual([f.acme, f.beta, f.jose, f.zoe]);
    expect(await order('name desc')).toEqual([f.zoe, f.jose, f.beta, f.acme]);
    expect(await order('email asc, id desc')).toEqual([f.zoe, f.acme, f.beta, f.jose]);
    expect(await order('email desc')).toEqual([f.jose, f.beta, f.acme, f.zoe]);
    expect(await order('email asc nulls first, id')).toEqual([f.jose, f.beta, f.zoe, f.acme]);
    expect(await order('is_company desc, customer_rank desc')).toEqual([f.beta, f.acme, f.jose, f.zoe]);
    // Default order of res.partner: complete_name ASC, id DESC.
    expect((await json2(f.sim, 'res.partner', 'search', { domain: [['id', 'in', f.ids]] })).body).toEqual([f.acme, f.zoe, f.beta, f.jose]);
    const bad = await json2(f.sim, 'res.partner', 'search', { domain: [], order: 'display_name' });
    expect(bad.status).toBe(500);
    const malformed = await json2(f.sim, 'res.partner', 'search', { domain: [], order: 'name; drop table' });
    expect(malformed.status).toBe(500);
  });

  it('orders a many2one by the target model’s own order', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const stages = sim.searchRead('crm.stage', [], { fields: ['sequence'] });
    const won = stages[stages.length - 1]!.id;
    const first = stages[0]!.id;
    const a = sim.create('crm.lead', { name: 'a', stage_id: won });
    const b = sim.create('crm.lead', { name: 'b', stage_id: first });
    const c = sim.create('crm.lead', { name: 'c', stage_id: false });
    expect((await json2(sim, 'crm.lead', 'search', { domain: [['id', 'in', [a, b, c]]], order: 'stage_id, id' })).body).toEqual([b, a, c]);
    expect((await json2(sim, 'crm.lead', 'search', { domain: [['id', 'in', [a, b, c]]], order: 'stage_id desc, id' })).body).toEqual([c, a, b]);
  });

  it('pages with limit and offset; no limit (or 0) means every row', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const ids = Array.from({ length: 25 }, (_, i) => sim.create('res.partner', { name: `P${String(i).padStart(2, '0')}` }));
    const page = async (body: Record<string, unknown>) => (await json2(sim, 'res.partner', 'search', { domain: [['id', 'in', ids]], ...body })).body as number[];
    expect(await page({ order: 'id', limit: 10 })).toEqual(ids.slice(0, 10));
    expect(await page({ order: 'id', limit: 10, offset: 20 })).toEqual(ids.slice(20));
    expect(await page({ order: 'id desc', limit: 3, offset: 1 })).toEqual(ids.slice(-4, -1).reverse());
    expect(await page({ order: 'name desc', limit: 2 })).toEqual([ids[24], ids[23]]);
    expect(await page({ order: 'id' })).toEqual(ids);
    expect(await page({ order: 'id', limit: 0 })).toEqual(ids);
    expect((await json2(sim, 'res.partner', 'search_count', { domain: [['id', 'in', ids]], limit: 5 })).body).toBe(5);
    expect(await executeKw(sim, 'res.partner', 'search', [[['id', 'in', ids]], 5, 5, 'id'])).toEqual(ids.slice(5, 10));
    expect(await executeKw(sim, 'res.partner', 'search_read', [[['id', 'in', ids]], ['name'], 24, false, 'id'])).toEqual([{ id: ids[24], name: 'P24' }]);
  });

  it('keyset paging by id reads every row exactly once, archived included', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    for (let i = 0; i < 57; i++) sim.create('res.partner', { name: `K${i}`, active: i % 5 !== 0 });
    const total = sim.count('res.partner', [], { activeTest: false });
    const seen: number[] = [];
    let last = 0;
    for (;;) {
      const rows = (await json2(sim, 'res.partner', 'search_read', { domain: [['id', '>', last]], fields: ['id'], order: 'id', limit: 10, context: { active_test: false } })).body as { id: number }[];
      if (rows.length === 0) break;
      seen.push(...rows.map((row) => row.id));
      last = rows[rows.length - 1]!.id;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe('write_date', () => {
  it('is stamped from the injected clock on create and on every write, whole seconds in UTC', async () => {
    let now = new Date('2026-02-03T04:05:06.789Z');
    const sim = await useEmptySim({ version: '19.0', now: () => now });
    const id = (await json2(sim, 'res.partner', 'create', { vals_list: [{ name: 'Ana' }] })).body[0] as number;
    expect(sim.searchRead('res.partner', [['id', '=', id]], { fields: ['create_date', 'write_date'] })).toEqual([{ id, create_date: '2026-02-03 04:05:06', write_date: '2026-02-03 04:05:06' }]);
    now = new Date('2026-02-03T04:10:00.001Z');
    await executeKw(sim, 'res.partner', 'write', [[id], { phone: '1' }]);
    expect(sim.searchRead('res.partner', [['id', '=', id]], { fields: ['create_date', 'write_date', 'write_uid'] })).toEqual([
      { id, create_date: '2026-02-03 04:05:06', write_date: '2026-02-03 04:10:00', write_uid: [2, 'Mitchell Admin'] },
    ]);
    now = new Date('2026-02-03T05:00:00Z');
    await json2(sim, 'res.partner', 'write', { ids: [id], vals: { active: false } });
    expect(sim.searchRead('res.partner', [['id', '=', id]], { fields: ['write_date', 'active'], activeTest: false })).toEqual([{ id, write_date: '2026-02-03 05:00:00', active: false }]);
  });

  it('ignores write_date sent by API clients; the programmatic API may set it (a transaction that started earlier)', async () => {
    const now = new Date('2026-02-03T04:05:06Z');
    const sim = await useEmptySim({ version: '19.0', now: () => now });
    const id = sim.create('res.partner', { name: 'Old', write_date: '2020-01-01 00:00:00' });
    expect(sim.searchRead('res.partner', [['id', '=', id]], { fields: ['write_date'] })[0]!['write_date']).toBe('2020-01-01 00:00:00');
    await json2(sim, 'res.partner', 'write', { ids: [id], vals: { name: 'New', write_date: '2001-01-01 00:00:00' } });
    expect(sim.searchRead('res.partner', [['id', '=', id]], { fields: ['write_date'] })[0]!['write_date']).toBe('2026-02-03 04:05:06');
    sim.write('res.partner', [id], { name: 'Late commit', write_date: '2026-02-03 04:00:00' });
    expect(sim.searchRead('res.partner', [['id', '=', id]], { fields: ['write_date'] })[0]!['write_date']).toBe('2026-02-03 04:00:00');
  });

  it('incremental reads ordered by (write_date, id) see same-second ties in id order and resume with >=', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const sim = await useEmptySim({ version: '19.0', now: () => now });
    const first = [sim.create('res.partner', { name: 'a' }), sim.create('res.partner', { name: 'b' }), sim.create('res.partner', { name: 'c' })];
    now = new Date('2026-01-01T00:00:01Z');
    const second = [sim.create('res.partner', { name: 'd' }), sim.create('res.partner', { name: 'e' })];
    sim.write('res.partner', [first[0]!], { name: 'a2' }); // moves to the later second, after e in id order? no: a < d by id
    const read = async (cursor: string, limit: number) =>
      (await json2(sim, 'res.partner', 'search_read', { domain: [['write_date', '>=', cursor]], fields: ['write_date'], order: 'write_date asc, id asc', limit, context: { active_test: false } })).body as {
        id: number;
        write_date: string;
      }[];
    const all = await read('2026-01-01 00:00:00', 100);
    expect(all.map((row) => row.id)).toEqual([first[1], first[2], first[0], second[0], second[1]]);
    expect(all.map((row) => row.write_date)).toEqual(['2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:01', '2026-01-01 00:00:01', '2026-01-01 00:00:01']);
    const later = await read('2026-01-01 00:00:01', 2);
    expect(later.map((row) => row.id)).toEqual([first[0], second[0]]);
    // A cursor past every write: nothing.
    expect(await read('2026-01-01 00:00:02', 10)).toEqual([]);
    // The index keeps up with new writes.
    now = new Date('2026-01-01T00:00:05Z');
    sim.write('res.partner', [first[2]!], { name: 'c2' });
    expect((await read('2026-01-01 00:00:02', 10)).map((row) => row.id)).toEqual([first[2]]);
  });

  it('unlink leaves no trace: the id is gone from every search', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const id = sim.create('res.partner', { name: 'Gone' });
    await json2(sim, 'res.partner', 'unlink', { ids: [id] });
    expect((await json2(sim, 'res.partner', 'search', { domain: [['id', '=', id]], context: { active_test: false } })).body).toEqual([]);
    expect((await json2(sim, 'res.partner', 'read', { ids: [id], fields: ['name'] })).body).toEqual([]);
  });
});
