import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { DEFAULT_COUNTS, generateDataset } from './generator.js';
import { asciiFold } from './names.js';
import { MODELS, type StoredRow } from './schema.js';

const COUNTS = { partners: 2000, companies: 250, opportunities: 400, invoices: 400, employees: 60, users: 70 };
const data = generateDataset({ seed: 42, counts: COUNTS });
const rows = <K extends keyof Dataset['models']>(model: K) => data.models[model];
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('generateDataset: determinism', () => {
  it('gives the same data for the same seed and counts', () => {
    expect(JSON.stringify(generateDataset({ seed: 42, counts: COUNTS }))).toBe(JSON.stringify(data));
  });

  it('gives other data for another seed', () => {
    const other = generateDataset({ seed: 43, counts: COUNTS });
    expect(other.models['res.partner'].map((row) => row.name)).not.toEqual(rows('res.partner').map((row) => row.name));
  });

  it('keeps one model’s rows stable when another model’s count changes', () => {
    const more = generateDataset({ seed: 42, counts: { ...COUNTS, invoices: 10 } });
    expect(more.models['crm.lead']).toEqual(rows('crm.lead').map((row) => ({ ...row, ...pickStamps(more.models['crm.lead'][row.id - 1]) })));
  });

  it('fills defaults and validates counts', () => {
    const small = generateDataset({});
    expect(small.counts).toEqual({ ...DEFAULT_COUNTS, companies: 25 });
    expect(() => generateDataset({ counts: { partners: 1.5 } })).toThrow(TypeError);
    expect(() => generateDataset({ counts: { partners: 10, companies: 11 } })).toThrow(/cannot exceed/);
    expect(() => generateDataset({ counts: { stages: 1 } })).toThrow(/at least 2/);
  });
});

function pickStamps(row: StoredRow | undefined): Record<string, unknown> {
  return row ? { create_date: row['create_date'], write_date: row['write_date'], create_uid: row['create_uid'], write_uid: row['write_uid'] } : {};
}

describe('generateDataset: shape', () => {
  it('makes the requested counts', () => {
    const customers = rows('res.partner').filter((row) => row.id > 5 + COUNTS.users);
    expect(customers).toHaveLength(COUNTS.partners);
    expect(customers.filter((row) => row.is_company)).toHaveLength(COUNTS.companies);
    expect(rows('res.users')).toHaveLength(COUNTS.users + 3);
    expect(rows('hr.employee')).toHaveLength(COUNTS.employees);
    expect(rows('crm.lead')).toHaveLength(COUNTS.opportunities);
    expect(rows('account.move')).toHaveLength(COUNTS.invoices);
    expect(rows('crm.stage')).toHaveLength(4);
    expect(rows('crm.stage').at(-1)).toMatchObject({ name: 'Won', is_won: true });
  });

  it('has the built-in users of an Odoo database', () => {
    expect(rows('res.users').slice(0, 3).map((user) => [user.id, user.login, user.active, user.share])).toEqual([
      [1, '__system__', false, false],
      [2, 'admin', true, false],
      [3, 'public', false, true],
    ]);
  });

  it('uses ascending unique ids, only known fields, and valid references everywhere', () => {
    for (const [model, list] of Object.entries(data.models) as [string, StoredRow[]][]) {
      const def = MODELS.get(model);
      expect(def, model).toBeDefined();
      list.forEach((row, i) => {
        expect(row.id).toBe(i + 1);
        for (const [name, value] of Object.entries(row)) {
          const field = def!.fields.get(name);
          expect(field, `${model}.${name}`).toBeDefined();
          if (field!.type === 'many2one' && value !== false) {
            const target = data.models[field!.relation as keyof Dataset['models']] as StoredRow[];
            expect(target[(value as number) - 1]?.id, `${model}#${row.id}.${name} = ${String(value)}`).toBe(value);
          }
          if (field!.required) expect(value, `${model}#${row.id}.${name}`).not.toBe(false);
        }
      });
    }
  });

  it('stamps create/write dates in Odoo’s format, before `until`, with same-second ties', () => {
    const all = Object.values(data.models).flat() as StoredRow[];
    for (const row of all) {
      expect(row['create_date']).toMatch(DATETIME);
      expect(row['write_date']).toMatch(DATETIME);
      expect(row['create_date']! <= row['write_date']!).toBe(true);
      expect(row['write_date']! < data.until).toBe(true);
    }
    const partnerStamps = rows('res.partner').map((row) => row.write_date);
    expect(new Set(partnerStamps).size).toBeLessThan(partnerStamps.length * 0.95);
  });
});

describe('generateDataset: messy like real data', () => {
  it('has accented names, names without their accents, and homonyms', () => {
    const names = rows('res.partner').map((row) => row.name).filter((name): name is string => typeof name === 'string');
    expect(names.some((name) => /[éëüöøłñçãõåß]/i.test(name))).toBe(true);
    expect(names.some((name) => name.includes("'"))).toBe(true);
    const folded = new Map<string, Set<string>>();
    for (const name of names) {
      const key = asciiFold(name).toLowerCase().replace(/\s+/g, ' ').trim();
      folded.set(key, (folded.get(key) ?? new Set()).add(name));
    }
    expect([...folded.values()].some((variants) => variants.size > 1)).toBe(true);
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    expect([...counts.values()].some((n) => n > 1)).toBe(true);
    expect(names.some((name) => name !== name.trim() || /\s{2}/.test(name))).toBe(true);
    expect(names.some((name) => name === name.toUpperCase() && /[A-Z]{3}/.test(name))).toBe(true);
  });

  it('has exact duplicate contacts and duplicate companies', () => {
    const key = (row: { name: unknown; email: unknown; is_company: boolean }) => `${String(row.name)}|${String(row.email)}|${row.is_company}`;
    const seen = new Map<string, number>();
    for (const row of rows('res.partner')) if (row.id > 5 + COUNTS.users) seen.set(key(row), (seen.get(key(row)) ?? 0) + 1);
    expect([...seen.entries()].some(([k, n]) => n > 1 && k.endsWith('false'))).toBe(true);
    const companyNames = rows('res.partner').filter((row) => row.is_company).map((row) => row.name);
    expect(new Set(companyNames).size).toBeLessThan(companyNames.length);
  });

  it('has e-mails in mixed case and missing e-mails', () => {
    const emails = rows('res.partner').map((row) => row.email);
    expect(emails.some((email) => typeof email === 'string' && email !== email.toLowerCase())).toBe(true);
    expect(emails.some((email) => email === false)).toBe(true);
  });

  it('links employees to users, and leaves users without employees and employees without users', () => {
    const employees = rows('hr.employee');
    const internal = rows('res.users').filter((user) => !user.share && user.id !== 1);
    const withEmployee = new Set(employees.map((employee) => employee.user_id).filter((id) => id !== false));
    expect(withEmployee.size).toBeGreaterThan(10);
    expect(internal.some((user) => user.active && !withEmployee.has(user.id))).toBe(true);
    expect(employees.some((employee) => employee.user_id === false)).toBe(true);
    // One user employed by both companies: two employees, one per company.
    const perUser = new Map<number, Set<number>>();
    for (const employee of employees) if (employee.user_id !== false) perUser.set(employee.user_id, (perUser.get(employee.user_id) ?? new Set()).add(employee.company_id));
    expect([...perUser.values()].some((companies) => companies.size === 2)).toBe(true);
    // Portal users never get employees.
    const portal = new Set(rows('res.users').filter((user) => user.share).map((user) => user.id));
    expect(employees.some((employee) => employee.user_id !== false && portal.has(employee.user_id))).toBe(false);
  });

  it("gives linked employees their user's e-mail (Odoo 16+), and users e-mails that differ from the login: case, domain, plus-addressing, blanks, none", () => {
    const users = new Map(rows('res.users').map((user) => [user.id, user]));
    const linked = rows('hr.employee').filter((employee) => employee.user_id !== false && employee.user_id !== 2);
    // The employee's work contact is the user's partner: the same e-mail, character for character.
    expect(linked.every((employee) => employee.work_email === users.get(employee.user_id as number)!.email)).toBe(true);
    const internal = rows('res.users').filter((user) => !user.share && user.id > 3);
    const pairs = internal.map((user) => [user.email, user.login] as const);
    expect(pairs.some(([email, login]) => typeof email === 'string' && email !== login && email.trim().toLowerCase() === login.toLowerCase())).toBe(true);
    expect(pairs.some(([email, login]) => typeof email === 'string' && login.includes('@') && email.split('@')[1]?.toLowerCase() !== login.split('@')[1]?.toLowerCase())).toBe(true);
    expect(pairs.some(([email]) => typeof email === 'string' && email.includes('+'))).toBe(true);
    expect(pairs.some(([email]) => typeof email === 'string' && email !== email.trim())).toBe(true);
    expect(pairs.some(([email]) => email === false)).toBe(true);
    const all = rows('hr.employee').map((employee) => employee.work_email);
    expect(all.some((email) => email === false)).toBe(true);
    expect(all.some((email) => typeof email === 'string' && email !== email.toLowerCase())).toBe(true);
    // Some employees carry a user's name without being linked to that user (homonyms).
    const userNames = new Set(rows('res.users').filter((user) => user.id > 3).map((user) => user.name));
    expect(rows('hr.employee').some((employee) => employee.user_id === false && userNames.has(employee.name))).toBe(true);
    // Some linked employees spell the name differently ("Last, First", no accents, upper case…).
    expect(linked.some((employee) => employee.name !== users.get(employee.user_id as number)!.name)).toBe(true);
  });

  it('archives some rows of every model that has an active field', () => {
    for (const model of ['res.partner', 'res.users', 'hr.employee', 'crm.lead'] as const) {
      const list = data.models[model] as StoredRow[];
      expect(list.some((row) => row['active'] === false), model).toBe(true);
      expect(list.some((row) => row['active'] === true), model).toBe(true);
    }
  });

  it('makes opportunities with salespeople, customers and stages; won and lost ones consistent', () => {
    const leads = rows('crm.lead');
    const stages = new Map(rows('crm.stage').map((stage) => [stage.id, stage]));
    const opportunities = leads.filter((lead) => lead.type === 'opportunity');
    expect(leads.some((lead) => lead.type === 'lead')).toBe(true);
    expect(opportunities.filter((lead) => lead.user_id !== false).length).toBeGreaterThan(opportunities.length * 0.7);
    expect(opportunities.filter((lead) => lead.partner_id !== false).length).toBeGreaterThan(opportunities.length * 0.7);
    expect(opportunities.every((lead) => lead.stage_id !== false)).toBe(true);
    const won = opportunities.filter((lead) => stages.get(lead.stage_id as number)?.is_won);
    expect(won.length).toBeGreaterThan(0);
    for (const lead of won) expect(lead).toMatchObject({ probability: 100, active: true, date_closed: expect.stringMatching(DATETIME) });
    const lost = leads.filter((lead) => !lead.active);
    expect(lost.length).toBeGreaterThan(0);
    for (const lead of lost) expect(lead).toMatchObject({ probability: 0, lost_reason_id: expect.any(Number) });
    const users = new Map(rows('res.users').map((user) => [user.id, user]));
    expect(opportunities.some((lead) => lead.user_id !== false && !users.get(lead.user_id)!.active)).toBe(true);
  });

  it('makes invoices, credit notes and vendor bills in every state with consistent amounts', () => {
    const moves = rows('account.move');
    expect(new Set(moves.map((move) => move.move_type))).toEqual(new Set(['out_invoice', 'out_refund', 'in_invoice']));
    expect(new Set(moves.map((move) => move.state))).toEqual(new Set(['draft', 'posted', 'cancel']));
    for (const move of moves) {
      expect(move.amount_total).toBeCloseTo(move.amount_untaxed + move.amount_tax, 2);
      expect(move.amount_residual).toBeLessThanOrEqual(move.amount_total);
      if (move.state === 'draft') expect(move.name).toBe('/');
      else expect(move.name).toMatch(/^(INV|RINV|BILL)\/\d{4}\/\d{5}$/);
      if (move.payment_state === 'paid') expect(move.amount_residual).toBe(0);
      if (move.state === 'posted') expect(move.partner_id).not.toBe(false);
    }
    expect(moves.some((move) => move.state === 'draft' && move.invoice_date === false)).toBe(true);
    const names = moves.filter((move) => move.name !== '/').map((move) => move.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('scales: 20 000 partners', () => {
    const big = generateDataset({ seed: 9, counts: { partners: 20_000 } });
    expect(big.models['res.partner'].length).toBe(20_000 + 5 + DEFAULT_COUNTS.users);
  });
});
