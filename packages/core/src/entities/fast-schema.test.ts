import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalJson, stableHash } from '../sync/hash.js';
import { toSourceRecord } from '../sync/plan.js';
import {
  accountSchema,
  contactSchema,
  employeeSchema,
  ENTITY_SPECS,
  invoiceSchema,
  odooUserSchema,
  opportunitySchema,
} from './built-in-entities.js';
import { defineEntity, schemaOfFields, type EntityDefinition, type FieldKind, type OdooRow } from './entity-definition.js';
import { mapOdooRow } from './entities.js';
import { compileSchema } from './fast-schema.js';
import { mailActivity, mailActivitySchema, mailMessage, mailMessageSchema } from './mail-entities.js';
import { camelCase, odooBoolean, odooDate, odooDatetime, odooIds, odooMany2One, odooNumber, odooText } from './odoo-values.js';

/** Every code unit, lone surrogates and control characters included (JSON escaping). */
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 });

/** Values of every kind, valid for some schemas and not for others. */
const POOL: unknown[] = [
  null,
  undefined,
  false,
  true,
  0,
  1,
  7,
  -3,
  1.5,
  -0,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'x',
  'Zoë "Q" \\ \n',
  '\ud800',
  'opportunity',
  'out_invoice',
  'out_refund',
  'posted',
  'draft',
  'crm.lead',
  '2024-01-31',
  '2024-1-31',
  '2024-01-31T10:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
  '2023-02-29T00:00:00.000Z',
  '2024-01-31T10:00:00Z',
  '2024-01-31 10:00:00',
  '2024-01-31T10:00:00+01:00',
  { id: 3, name: 'Acme' },
  { id: 3, name: 'Acme', extra: 1 },
  { name: 'Acme', id: 3 },
  { id: 0, name: 'Zero' },
  { id: 3 },
  { id: '3', name: 'Acme' },
  [3, 'Acme'],
  [1, 2, 3],
  [1, -2],
  [],
  ['a'],
  { b: true, a: 'a' },
  { a: null, b: false },
  { b: true, a: 'c' },
  [{ n: 1 }, { n: 2.5 }],
  [{ n: 1, m: 2 }],
];

const anyValue: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(...POOL), anyString, fc.double(), fc.integer());

/** An arbitrary object for `shape`: each key mostly a value its member accepts, sometimes anything; maybe a key missing or one more. */
function candidates(shape: Record<string, z.ZodType>): fc.Arbitrary<Record<string, unknown>> {
  const members = Object.entries(shape).map(([key, member]) => {
    const valid = POOL.filter((value) => member.safeParse(value).success);
    const strings = member.safeParse('any text').success ? [anyString] : [];
    return [key, valid.length > 0 || strings.length > 0 ? fc.oneof({ weight: 12, arbitrary: fc.oneof(...[...(valid.length > 0 ? [fc.constantFrom(...valid)] : []), ...strings]) }, { weight: 1, arbitrary: anyValue }) : anyValue] as const;
  });
  const base = fc.record(Object.fromEntries(members));
  return fc.tuple(base, fc.integer({ min: 0, max: 30 }), fc.constantFrom('extra', 'odooId', 'zz')).map(([record, change, extraKey]) => {
    const entries = Object.entries(record);
    const out: Record<string, unknown> = Object.fromEntries(change === 0 ? entries.slice(1) : entries);
    if (change === 1) out[extraKey] = 'more';
    return out;
  });
}

const FIELD_SCHEMA = schemaOfFields(
  (['text', 'number', 'boolean', 'many2one', 'date', 'datetime', 'ids'] as FieldKind[]).map((kind) => ({ odoo: `f_${kind}`, kind })),
);
const OTHERS = {
  stripping: z.object({ id: z.number().int().nonnegative(), label: z.string().min(2).regex(/^[a-z]/), score: z.number().gte(-1).lt(10).nullable(), flag: z.literal(true), tags: z.array(z.string()) }),
  nested: z.object({ inner: z.object({ b: z.boolean(), a: z.enum(['a', 'b']).nullable() }).strict(), list: z.array(z.object({ n: z.number() })) }).strict(),
};
const COMPILED: Record<string, z.ZodObject> = {
  account: accountSchema,
  contact: contactSchema,
  opportunity: opportunitySchema,
  invoice: invoiceSchema,
  employee: employeeSchema,
  odooUser: odooUserSchema,
  mailActivity: mailActivitySchema,
  mailMessage: mailMessageSchema,
  fields: FIELD_SCHEMA as unknown as z.ZodObject,
  ...OTHERS,
};

describe('compiled record schemas', () => {
  for (const [name, schema] of Object.entries(COMPILED)) {
    it(`accept exactly what zod accepts, with zod's output and canonical JSON (${name})`, () => {
      const compiled = compileSchema(schema);
      expect(compiled).toBeDefined();
      let accepted = 0;
      let rejected = 0;
      fc.assert(
        fc.property(candidates(schema.shape as Record<string, z.ZodType>), (candidate) => {
          const parsed = schema.safeParse(candidate);
          const accepts = compiled!.accept(candidate);
          expect(accepts).toBe(parsed.success);
          if (!parsed.success) {
            rejected++;
            return;
          }
          accepted++;
          const copy = compiled!.copy(candidate);
          expect(copy).toStrictEqual(parsed.data);
          // Same keys in the same order, all the way down.
          expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed.data));
          expect(compiled!.write(parsed.data)).toBe(canonicalJson(parsed.data));
        }),
        { numRuns: 600 },
      );
      expect(accepted).toBeGreaterThan(20);
      expect(rejected).toBeGreaterThan(20);
    });
  }

  it('leave to zod every schema with a piece they do not cover', () => {
    const numeric = { A: 0, B: 1 } as const;
    const uncovered: z.ZodType[] = [
      z.object({ a: z.string().refine((s) => s !== 'x') }),
      z.object({ a: z.string().transform((s) => s.length) }),
      z.object({ a: z.string().optional() }),
      z.object({ a: z.string().default('x') }),
      z.object({ a: z.union([z.string(), z.number()]) }),
      z.object({ a: z.email() }),
      z.object({ a: z.string().trim() }),
      z.object({ a: z.string().startsWith('x') }),
      z.object({ a: z.coerce.number() }),
      z.object({ a: z.number().multipleOf(2) }),
      z.object({ a: z.enum(numeric) }),
      z.object({ a: z.string() }).catchall(z.string()),
      z.object({ a: z.string() }).loose(),
      z.object({ '1': z.string() }),
      z.object({ a: z.string() }).refine(() => true),
      z.string(),
    ];
    for (const schema of uncovered) expect(compileSchema(schema)).toBeUndefined();
  });
});

const CONVERTERS: Record<FieldKind, (value: unknown) => unknown> = {
  text: odooText,
  number: odooNumber,
  boolean: odooBoolean,
  many2one: odooMany2One,
  date: odooDate,
  datetime: odooDatetime,
  ids: odooIds,
};

/** Mapping as it always was: build the record from the fields, `toRecord`, then zod. */
function referenceMap(spec: EntityDefinition, row: OdooRow): { ok: true; record: unknown } | { ok: false; reason: string } {
  const candidate: Record<string, unknown> = { odooId: row.id };
  for (const field of spec.fields) candidate[camelCase(field.odoo)] = CONVERTERS[field.kind](row[field.odoo]);
  let mapped: unknown = candidate;
  if (spec.toRecord) {
    try {
      mapped = spec.toRecord(candidate, row);
    } catch (error) {
      return { ok: false, reason: `toRecord: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const parsed = spec.schema.safeParse(mapped);
  if (parsed.success) return { ok: true, record: parsed.data };
  return { ok: false, reason: parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ') };
}

/** Raw Odoo values and adapter-normalised ones each kind takes (as most rows carry), then values a schema may refuse. */
const VALID: Record<FieldKind, unknown[]> = {
  text: ['x', 'Zoë "Q" \\ \n', 'crm.lead', false, null],
  number: [0, 1, 2.5, -3, 1e21],
  boolean: [true, false, null],
  many2one: [[3, 'Acme'], [5, false], { id: 4, name: 'Four' }, { name: 'Four', id: 4 }, { id: 4, name: 'Four', x: 1 }, 4, false, null],
  date: ['2024-01-31', '2024-02-29', false, null],
  datetime: ['2024-01-31T10:00:00.000Z', '2024-01-31 10:00:00', '2024-02-29 23:59:59', '2024-02-30T10:00:00.000Z', '2024-01-31T10:00:00.123Z', false, null],
  ids: [[1, 2, 3], [], false, null],
};
const DOUBTFUL: unknown[] = ['', 'later', false, Number.NaN, '2024-1-31', [0, 'Zero'], { id: 'x' }, [0], 'opportunity', 'out_invoice'];
/** Text fields whose schema takes only some values. */
const CHOICES: Record<string, unknown[]> = { type: ['opportunity'], move_type: ['out_invoice', 'out_refund'], state: ['draft', 'posted', 'cancel'] };
const fieldValues = (field: { odoo: string; kind: FieldKind }) =>
  fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom(...(CHOICES[field.odoo] ?? VALID[field.kind])) },
    { weight: 1, arbitrary: fc.constantFrom(...DOUBTFUL) },
    { weight: 1, arbitrary: anyValue },
  );

const reordered = defineEntity({
  name: 'reordered',
  model: 'x.reordered',
  fields: [
    { odoo: 'b_name', kind: 'text' },
    { odoo: 'a_ref', kind: 'many2one' },
  ],
  schema: z.object({ aRef: z.object({ id: z.number().int().positive(), name: z.string() }).nullable(), odooId: z.number(), bName: z.string().nullable() }),
});
const overwrites = defineEntity({ name: 'overwrites', model: 'x.overwrites', fields: [{ odoo: 'odoo_id', kind: 'text' }, { odoo: 'tag_ids', kind: 'ids' }] });
const missing = defineEntity({ name: 'missing', model: 'x.missing', fields: [{ odoo: 'name', kind: 'text' }], schema: z.object({ odooId: z.number(), name: z.string().nullable(), other: z.string() }).strict() });
const SPECS: EntityDefinition[] = [...Object.values(ENTITY_SPECS), mailActivity, mailMessage, reordered, overwrites, missing];

describe('mapOdooRow with compiled schemas', () => {
  for (const spec of SPECS) {
    it(`gives what the fields, toRecord and zod give, hash included (${spec.name})`, () => {
      const row = fc.record({
        id: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: anyValue }),
        write_date: fc.constantFrom('2024-01-31T10:00:00.000Z', '2024-01-31 10:00:00', false),
        active: fc.boolean(),
        ...Object.fromEntries(spec.fields.map((field) => [field.odoo, fieldValues(field)])),
      }) as fc.Arbitrary<OdooRow>;
      let ok = 0;
      fc.assert(
        fc.property(row, (sourceRow) => {
          const expected = referenceMap(spec, sourceRow);
          const actual = mapOdooRow(spec, sourceRow);
          expect(actual).toStrictEqual(expected);
          if (!actual.ok || !expected.ok) return;
          ok++;
          expect(JSON.stringify(actual.record)).toBe(JSON.stringify(expected.record));
          if (typeof sourceRow.id === 'number' && Number.isInteger(sourceRow.id) && sourceRow.id > 0) {
            const record = toSourceRecord(spec, sourceRow);
            expect('hash' in record && record.hash).toBe(stableHash(expected.record));
          }
        }),
        { numRuns: 500 },
      );
      if (spec.name !== 'missing') expect(ok).toBeGreaterThan(5);
    });
  }
});
