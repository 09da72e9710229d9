/**
 * Entity specs: which Odoo model each synced entity comes from, which rows (domain), which
 * fields, how a row becomes a normalised record, and the zod schema that record must satisfy.
 * @module
 */
import { z } from 'zod';
import {
  camelCase,
  isoDateSchema,
  isoDatetimeSchema,
  many2OneSchema,
  odooBoolean,
  odooDate,
  odooDatetime,
  odooIds,
  odooMany2One,
  odooNumber,
  odooText,
} from './odoo-values.js';
import type { SourceQuery } from './ports.js';

/** Names of the entities odoo-sync keeps in step. */
export type EntityName = 'account' | 'contact' | 'opportunity' | 'invoice' | 'employee' | 'odoo_user';

/** All entity names, in the order a full run syncs them (referenced records first). */
export const ENTITY_NAMES: readonly EntityName[] = [
  'odoo_user',
  'employee',
  'account',
  'contact',
  'opportunity',
  'invoice',
];

/** An Odoo domain operator. */
export type DomainOperator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'in'
  | 'not in'
  | 'like'
  | 'ilike'
  | 'not like'
  | 'not ilike'
  | '=?'
  | 'child_of'
  | 'parent_of';

/** A value in a domain leaf. */
export type DomainValue = string | number | boolean | null | readonly (string | number | boolean)[];

/** One term of an Odoo domain in prefix (Polish) notation. */
export type DomainTerm = '&' | '|' | '!' | readonly [field: string, operator: DomainOperator, value: DomainValue];

/** An Odoo domain: a list of terms, implicitly AND-ed. */
export type OdooDomain = readonly DomainTerm[];

/** A row as an Odoo adapter returns it: `id` plus the requested fields, raw or already normalised. */
export interface OdooRow {
  /** Odoo record id. */
  id: number;
  /** Field values by Odoo field name. */
  [field: string]: unknown;
}

/** How one Odoo field is read and normalised. */
export type FieldKind = 'text' | 'number' | 'boolean' | 'many2one' | 'date' | 'datetime' | 'ids';

/** One field of an entity: the Odoo field name and its kind; the record key is its camelCase form. */
export interface FieldSpec {
  /** Odoo field name, e.g. `work_email`. */
  readonly odoo: string;
  /** How its value is normalised. */
  readonly kind: FieldKind;
  /**
   * For a `many2one`: the Odoo model it points at (`res.partner`). Declared so that when a record
   * of that model is deleted, the synced records pointing at it are read again: Odoo clears
   * such a field in the database (`ON DELETE SET NULL`) without a new `write_date`, so an
   * incremental run would never see the change.
   */
  readonly relation?: string;
}

/** Describes one synced entity. Specs are plain data plus a schema: safe to share. */
export interface EntitySpec<N extends EntityName = EntityName, D extends { odooId: number } = EntityRecord> {
  /** Entity name, e.g. `contact`. */
  readonly name: N;
  /** Human label, plural, e.g. `Contacts`. */
  readonly label: string;
  /** Odoo model, e.g. `res.partner`. */
  readonly model: string;
  /** Odoo module that provides the model, for messages when it is missing. */
  readonly module: string;
  /** Which rows of the model belong to this entity. */
  readonly domain: OdooDomain;
  /** Fields read from Odoo (besides `id`, `write_date` and `active`). */
  readonly fields: readonly FieldSpec[];
  /** Whether the model has an `active` field (archived rows exist). */
  readonly hasActive: boolean;
  /** Keys of the normalised record searched by a free-text `q`. */
  readonly searchKeys: readonly string[];
  /** Named equality filters of the read API → dotted path inside the record. */
  readonly filters: Readonly<Record<string, string>>;
  /** zod schema of the normalised record. */
  readonly schema: z.ZodType<D>;
}

const text = z.string().nullable();
const requiredText = z.string().min(1);
const m2o = many2OneSchema.nullable();
const num = z.number();
const id = z.number().int().positive();

function f(odoo: string, kind: FieldKind): FieldSpec {
  return { odoo, kind };
}

/** A many2one field pointing at `relation`. */
function m2oTo(odoo: string, relation: string): FieldSpec {
  return { odoo, kind: 'many2one', relation };
}

/** A company in Odoo (`res.partner` with `is_company = True`). */
export const accountSchema = z
  .object({
    odooId: id,
    name: requiredText,
    email: text,
    phone: text,
    website: text,
    vat: text,
    city: text,
    countryId: m2o,
    parentId: m2o,
  })
  .strict();
/** A normalised account record. */
export type Account = z.infer<typeof accountSchema>;

/** A person in Odoo (`res.partner` with `is_company = False`), linked to an account by `parentId`. */
export const contactSchema = z
  .object({
    odooId: id,
    name: text,
    email: text,
    phone: text,
    function: text,
    city: text,
    parentId: m2o,
    commercialPartnerId: m2o,
  })
  .strict();
/** A normalised contact record. */
export type Contact = z.infer<typeof contactSchema>;

/** A CRM opportunity (`crm.lead` with `type = 'opportunity'`). */
export const opportunitySchema = z
  .object({
    odooId: id,
    name: requiredText,
    type: z.literal('opportunity'),
    userId: m2o,
    teamId: m2o,
    partnerId: m2o,
    stageId: m2o,
    probability: num.nullable(),
    expectedRevenue: num.nullable(),
    dateDeadline: isoDateSchema.nullable(),
    dateClosed: isoDatetimeSchema.nullable(),
    companyId: m2o,
    lostReasonId: m2o,
  })
  .strict();
/** A normalised opportunity record. */
export type Opportunity = z.infer<typeof opportunitySchema>;

/** A customer invoice or credit note (`account.move`, `move_type in (out_invoice, out_refund)`). */
export const invoiceSchema = z
  .object({
    odooId: id,
    name: text,
    moveType: z.enum(['out_invoice', 'out_refund']),
    state: z.enum(['draft', 'posted', 'cancel']),
    paymentState: text,
    amountTotal: num,
    amountResidual: num,
    invoiceDate: isoDateSchema.nullable(),
    invoiceDateDue: isoDateSchema.nullable(),
    partnerId: m2o,
    currencyId: m2o,
    invoiceUserId: m2o,
  })
  .strict();
/** A normalised invoice record. */
export type Invoice = z.infer<typeof invoiceSchema>;

/** An employee (`hr.employee`); `userId` links to the Odoo user when there is one. */
export const employeeSchema = z
  .object({
    odooId: id,
    name: requiredText,
    workEmail: text,
    userId: m2o,
    departmentId: m2o,
    jobTitle: text,
    parentId: m2o,
    companyId: m2o,
  })
  .strict();
/** A normalised employee record. */
export type Employee = z.infer<typeof employeeSchema>;

/** An internal Odoo user (`res.users` with `share = False`). */
export const odooUserSchema = z
  .object({
    odooId: id,
    login: requiredText,
    name: text,
    email: text,
  })
  .strict();
/** A normalised Odoo user record. */
export type OdooUser = z.infer<typeof odooUserSchema>;

/** The normalised record type of each entity. */
export interface EntityRecordMap {
  account: Account;
  contact: Contact;
  opportunity: Opportunity;
  invoice: Invoice;
  employee: Employee;
  odoo_user: OdooUser;
}

/** Any normalised record. */
export type EntityRecord = EntityRecordMap[EntityName];

/** The spec of every entity, by name. */
export const ENTITY_SPECS: { readonly [N in EntityName]: EntitySpec<N, EntityRecordMap[N]> } = {
  account: {
    name: 'account',
    label: 'Accounts',
    model: 'res.partner',
    module: 'base',
    domain: [['is_company', '=', true]],
    fields: [
      f('name', 'text'),
      f('email', 'text'),
      f('phone', 'text'),
      f('website', 'text'),
      f('vat', 'text'),
      f('city', 'text'),
      m2oTo('country_id', 'res.country'),
      m2oTo('parent_id', 'res.partner'),
    ],
    hasActive: true,
    searchKeys: ['name', 'email', 'vat', 'city'],
    filters: { country: 'countryId.id' },
    schema: accountSchema,
  },
  contact: {
    name: 'contact',
    label: 'Contacts',
    model: 'res.partner',
    module: 'base',
    domain: [['is_company', '=', false]],
    fields: [
      f('name', 'text'),
      f('email', 'text'),
      f('phone', 'text'),
      f('function', 'text'),
      f('city', 'text'),
      m2oTo('parent_id', 'res.partner'),
      m2oTo('commercial_partner_id', 'res.partner'),
    ],
    hasActive: true,
    searchKeys: ['name', 'email', 'phone'],
    filters: { account: 'parentId.id', partner: 'commercialPartnerId.id' },
    schema: contactSchema,
  },
  opportunity: {
    name: 'opportunity',
    label: 'Opportunities',
    model: 'crm.lead',
    module: 'crm',
    domain: [['type', '=', 'opportunity']],
    fields: [
      f('name', 'text'),
      f('type', 'text'),
      m2oTo('user_id', 'res.users'),
      m2oTo('team_id', 'crm.team'),
      m2oTo('partner_id', 'res.partner'),
      m2oTo('stage_id', 'crm.stage'),
      f('probability', 'number'),
      f('expected_revenue', 'number'),
      f('date_deadline', 'date'),
      f('date_closed', 'datetime'),
      m2oTo('company_id', 'res.company'),
      m2oTo('lost_reason_id', 'crm.lost.reason'),
    ],
    hasActive: true,
    searchKeys: ['name'],
    filters: { salesperson: 'userId.id', stage: 'stageId.id', partner: 'partnerId.id', team: 'teamId.id' },
    schema: opportunitySchema,
  },
  invoice: {
    name: 'invoice',
    label: 'Invoices',
    model: 'account.move',
    module: 'account',
    domain: [['move_type', 'in', ['out_invoice', 'out_refund']]],
    fields: [
      f('name', 'text'),
      f('move_type', 'text'),
      f('state', 'text'),
      f('payment_state', 'text'),
      f('amount_total', 'number'),
      f('amount_residual', 'number'),
      f('invoice_date', 'date'),
      f('invoice_date_due', 'date'),
      m2oTo('partner_id', 'res.partner'),
      m2oTo('currency_id', 'res.currency'),
      m2oTo('invoice_user_id', 'res.users'),
    ],
    hasActive: false,
    searchKeys: ['name'],
    filters: {
      partner: 'partnerId.id',
      state: 'state',
      paymentState: 'paymentState',
      salesperson: 'invoiceUserId.id',
      moveType: 'moveType',
    },
    schema: invoiceSchema,
  },
  employee: {
    name: 'employee',
    label: 'Employees',
    model: 'hr.employee',
    module: 'hr',
    domain: [],
    fields: [
      f('name', 'text'),
      f('work_email', 'text'),
      m2oTo('user_id', 'res.users'),
      m2oTo('department_id', 'hr.department'),
      f('job_title', 'text'),
      m2oTo('parent_id', 'hr.employee'),
      m2oTo('company_id', 'res.company'),
    ],
    hasActive: true,
    searchKeys: ['name', 'workEmail', 'jobTitle'],
    filters: { department: 'departmentId.id', user: 'userId.id', company: 'companyId.id' },
    schema: employeeSchema,
  },
  odoo_user: {
    name: 'odoo_user',
    label: 'Odoo users',
    model: 'res.users',
    module: 'base',
    domain: [['share', '=', false]],
    fields: [f('login', 'text'), f('name', 'text'), f('email', 'text')],
    hasActive: true,
    searchKeys: ['name', 'login', 'email'],
    filters: {},
    schema: odooUserSchema,
  },
};

/** The spec of one entity. Throws a `TypeError` for an unknown name. */
export function getEntitySpec<N extends EntityName>(name: N): EntitySpec<N, EntityRecordMap[N]> {
  const spec = (ENTITY_SPECS as Record<string, EntitySpec | undefined>)[name];
  if (!spec) throw new TypeError(`Unknown entity "${name}"; expected one of ${ENTITY_NAMES.join(', ')}.`);
  return spec as unknown as EntitySpec<N, EntityRecordMap[N]>;
}

/** True when `value` names an entity. */
export function isEntityName(value: unknown): value is EntityName {
  return typeof value === 'string' && (ENTITY_NAMES as readonly string[]).includes(value);
}

/** Every Odoo field an entity reads: its fields plus `write_date` and, where the model has it, `active`. */
export function odooFieldsOf(spec: EntitySpec<EntityName, { odooId: number }>): string[] {
  const fields = spec.fields.map((field) => field.odoo);
  fields.push('write_date');
  if (spec.hasActive) fields.push('active');
  return fields;
}

const CONVERTERS: Record<FieldKind, (value: unknown) => unknown> = {
  text: odooText,
  number: odooNumber,
  boolean: odooBoolean,
  many2one: odooMany2One,
  date: odooDate,
  datetime: odooDatetime,
  ids: odooIds,
};

/** Result of mapping one Odoo row. */
export type MapResult<D> = { ok: true; record: D } | { ok: false; reason: string };

/**
 * Maps an Odoo row to the entity's normalised record and validates it. Pure. A row that
 * does not fit the schema yields `{ ok: false, reason }` naming the first problems.
 */
export function mapOdooRow<N extends EntityName, D extends { odooId: number }>(
  spec: EntitySpec<N, D>,
  row: OdooRow,
): MapResult<D> {
  const candidate: Record<string, unknown> = { odooId: row.id };
  for (const field of spec.fields) {
    candidate[camelCase(field.odoo)] = CONVERTERS[field.kind](row[field.odoo]);
  }
  const parsed = spec.schema.safeParse(candidate);
  if (parsed.success) return { ok: true, record: parsed.data };
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason };
}

/** The {@link SourceQuery} a {@link SourceReader} needs to read this entity. */
export function sourceQueryOf(spec: EntitySpec<EntityName, { odooId: number }>): SourceQuery {
  return { entity: spec.name, model: spec.model, domain: spec.domain, fields: odooFieldsOf(spec) };
}
