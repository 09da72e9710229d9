import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useEmptySim } from './helpers.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const text = (second: number) => at(second).toISOString().slice(0, 19).replace('T', ' ');

type Op =
  | { kind: 'create'; company: boolean }
  | { kind: 'write'; pick: number; backdate: number | null }
  | { kind: 'unlink'; pick: number }
  | { kind: 'read'; cursor: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), company: fc.boolean() }),
  fc.record({ kind: fc.constant('write' as const), pick: fc.nat(), backdate: fc.option(fc.nat({ max: 40 }), { nil: null }) }),
  fc.record({ kind: fc.constant('unlink' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('read' as const), cursor: fc.nat({ max: 60 }) }),
);

describe('incremental reads and counts by write_date', () => {
  it('agree with a full sort of every row after any mix of creates, writes (late commits included) and deletes', async () => {
    const sim = await useEmptySim({ version: '19.0', now: () => at(clock) });
    let clock = 0;
    const model = 'res.partner';
    let leftover: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        // Each case starts from the sim's own rows (the admin's partners) and the clock goes on.
        if (leftover.length > 0) sim.unlink(model, leftover);
        const ids: number[] = [];
        leftover = ids;
        const check = (cursor: number) => {
          // What Odoo answers: rows with write_date > cursor, by (write_date, id); counts both sides.
          const all = sim.searchRead(model, [], { fields: ['write_date', 'is_company'], activeTest: false });
          const after = all
            .filter((row) => (row['write_date'] as string) > text(cursor))
            .sort((a, b) => ((a['write_date'] as string) < (b['write_date'] as string) ? -1 : (a['write_date'] as string) > (b['write_date'] as string) ? 1 : (a['id']) - (b['id'])))
            .map((row) => row['id']);
          const read = sim.searchRead(model, [['write_date', '>', text(cursor)]], { fields: ['id'], order: 'write_date asc, id asc', activeTest: false }).map((row) => row['id']);
          expect(read).toEqual(after);
          expect(sim.searchRead(model, [['write_date', '>', text(cursor)]], { fields: ['id'], order: 'write_date asc, id asc', limit: 2, activeTest: false }).map((row) => row['id'])).toEqual(after.slice(0, 2));
          expect(sim.count(model, [['write_date', '>', text(cursor)]], { activeTest: false })).toBe(after.length);
          const companies = all.filter((row) => row['is_company'] === true);
          expect(sim.count(model, [['is_company', '=', true], ['write_date', '<=', text(cursor)]], { activeTest: false })).toBe(
            companies.filter((row) => (row['write_date'] as string) <= text(cursor)).length,
          );
          expect(sim.count(model, [['is_company', '=', true], ['write_date', '>=', text(cursor)]], { activeTest: false })).toBe(
            companies.filter((row) => (row['write_date'] as string) >= text(cursor)).length,
          );
        };
        for (const step of ops) {
          clock++;
          if (step.kind === 'create') ids.push(sim.create(model, { name: `p${clock}`, is_company: step.company }));
          else if (step.kind === 'write' && ids.length > 0) {
            const id = ids[step.pick % ids.length]!;
            sim.write(model, [id], step.backdate === null ? { name: `w${clock}` } : { name: `late${clock}`, write_date: text(Math.max(0, clock - step.backdate)) });
          } else if (step.kind === 'unlink' && ids.length > 0) {
            sim.unlink(model, ids.splice(step.pick % ids.length, 1));
          } else if (step.kind === 'read') check(Math.max(0, clock - step.cursor));
        }
        check(0);
        check(clock - 1);
      }),
      { numRuns: 60 },
    );
  });
});
