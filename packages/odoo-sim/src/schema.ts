/**
 * The simulated models and their fields: names, types, labels, relations, selections,
 * default order, which module brings them, and which Odoo versions have them.
 * @module
 */
import { CRM_TAG_MODEL_SPECS } from './crm-actions.js';
import { MAIL_MODEL_SPECS } from './schema-mail.js';
import { PRODUCT_MODEL_SPECS } from './products.js';

/** Odoo field types the simulator knows. */
export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'boolean'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'many2one_reference'
  | 'one2many'
  | 'many2many';

/** A value as the simulator stores it: many2one as a bare id, empty as `false`, x2many as ids. */
export type StoredValue = string | number | boolean | readonly number[];

/** One stored row: `id` plus field values in their stored form. */
export interface StoredRow {
  /** Record id. */
  readonly id: number;
  /** Field values by field name (stored form). */
  readonly [field: string]: StoredValue | undefined;
}

/** What a computed field needs to compute itself. */
export interface ComputeContext {
  /** Reads a stored row of any model (archived included), or `undefined`. */
  row(model: string, id: number): StoredRow | undefined;
  /** Ids of `model` rows whose `field` (a many2one) points at `id`, ascending. */
  inverse(model: string, field: string, id: number): readonly number[];
  /** The simulator's clock (for fields computed from today's date). */
  now(): Date;
}

/** One field of a simulated model. */
export interface FieldDef {
  /** Technical name, e.g. `work_email`. */
  readonly name: string;
  /** Odoo field type. */
  readonly type: FieldType;
  /** Label (`string` in `fields_get`). */
  readonly string: string;
  /** Target model of relational fields. */
  readonly relation?: string;
  /** For one2many: the many2one field on `relation` that points back. */
  readonly inverseName?: string;
  /** For selection fields: `[value, label]` pairs. */
  readonly selection?: readonly (readonly [string, string])[];
  /** Mandatory (a create without it fails like Odoo's NOT NULL). */
  readonly required?: boolean;
  /** Not writable through the API (writes are ignored). */
  readonly readonly?: boolean;
  /** Stored in the database (sortable); computed non-stored fields are `false`. */
  readonly store: boolean;
  /** Computed from other data when read. */
  readonly compute?: (row: StoredRow, ctx: ComputeContext) => StoredValue;
  /** What happens to this many2one when its target is deleted. */
  readonly ondelete?: 'set null' | 'restrict' | 'cascade';
  /** The field exists only while this model is installed (e.g. `customer_rank` needs `account.move`). */
  readonly requires?: string;
  /** First Odoo major version that has the field. */
  readonly since?: number;
  /** First Odoo major version that no longer has it (e.g. `mobile` on partners: 19). */
  readonly removedIn?: number;
  /** Readable only by HR officers (Odoo's `groups='hr.group_hr_user'`). */
  readonly hrOnly?: boolean;
  /** Help text. */
  readonly help?: string;
  /** Default on create. */
  readonly default?: StoredValue;
}

/** One simulated model. */
export interface ModelDef {
  /** Technical name, e.g. `res.partner`. */
  readonly name: string;
  /** `_description`, used in messages. */
  readonly description: string;
  /** Module that provides it. */
  readonly module: string;
  /** Default `_order`. */
  readonly order: string;
  /** Fields by name (magic fields included). */
  readonly fields: ReadonlyMap<string, FieldDef>;
  /** Whether the model has an `active` field (archived rows are hidden by default). */
  readonly hasActive: boolean;
  /** Computes `display_name`. */
  readonly displayName: (row: StoredRow, ctx: ComputeContext) => string;
}

/** How a model declares a field (`string` and `store` have defaults). */
export interface FieldSpec extends Omit<FieldDef, 'name' | 'string' | 'store'> {
  readonly string?: string;
  readonly store?: boolean;
}

function label(name: string): string {
  const base = name.replace(/_ids?$/, '').replace(/_/g, ' ');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

const char = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'char', ...extra });
const bool = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'boolean', ...extra });
const int = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'integer', ...extra });
const float = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'float', ...extra });
const money = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'monetary', ...extra });
const date = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'date', ...extra });
const datetime = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'datetime', ...extra });
const m2o = (relation: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'many2one', relation, ...extra });
const o2m = (relation: string, inverseName: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type: 'one2many',
  relation,
  inverseName,
  store: false,
  ...extra,
});
const m2m = (relation: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: 'many2many', relation, ...extra });
const selection = (options: readonly (readonly [string, string])[], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type: 'selection',
  selection: options,
  ...extra,
});
const active = (): FieldSpec => bool({ string: 'Active', default: true });

function nameOf(row: StoredRow | undefined): string {
  const name = row?.['name'];
  return typeof name === 'string' ? name : '';
}

const PARTNER_TYPES = [
  ['contact', 'Contact'],
  ['invoice', 'Invoice Address'],
  ['delivery', 'Delivery Address'],
  ['other', 'Other Address'],
] as const;

/** The company partner a partner belongs to: the top-most company ancestor, else itself. */
function commercialPartnerId(row: StoredRow, ctx: ComputeContext): number {
  let current: StoredRow | undefined = row;
  for (let depth = 0; current && depth < 32; depth++) {
    if (current['is_company'] === true) return current.id;
    const parent = current['parent_id'];
    if (typeof parent !== 'number') return current.id;
    const next = ctx.row('res.partner', parent);
    if (!next) return current.id;
    current = next;
  }
  return row.id;
}

/** Odoo's partner `complete_name`: "Company, Person" for a person under a company. */
function partnerCompleteName(row: StoredRow, ctx: ComputeContext): string {
  let name = nameOf(row);
  if (!name && row['type'] !== undefined && row['type'] !== 'contact') {
    name = PARTNER_TYPES.find(([key]) => key === row['type'])?.[1] ?? '';
  }
  const parentId = row['parent_id'];
  if (row['is_company'] === true || typeof parentId !== 'number') return name;
  const commercial = ctx.row('res.partner', commercialPartnerId(row, ctx));
  const companyName = commercial && commercial.id !== row.id ? nameOf(commercial) : nameOf(ctx.row('res.partner', parentId));
  return companyName ? `${companyName}, ${name}` : name;
}

function moveDisplayName(row: StoredRow): string {
  const name = row['name'];
  if (typeof name === 'string' && name && name !== '/') return name;
  const kind = row['move_type'] === 'out_refund' ? 'Credit Note' : row['move_type'] === 'in_invoice' ? 'Bill' : 'Invoice';
  return row['state'] === 'draft' ? `Draft ${kind} (* ${row.id})` : '/';
}

const MAGIC: Record<string, FieldSpec> = {
  id: int({ string: 'ID', readonly: true }),
  display_name: char({ string: 'Display Name', readonly: true, store: false }),
  create_uid: m2o('res.users', { string: 'Created by', readonly: true }),
  create_date: datetime({ string: 'Created on', readonly: true }),
  write_uid: m2o('res.users', { string: 'Last Updated by', readonly: true }),
  write_date: datetime({ string: 'Last Updated on', readonly: true }),
};

/** How `schema.ts` declares a model (magic fields are added to it). */
export interface ModelSpec {
  name: string;
  description: string;
  module: string;
  order: string;
  fields: Record<string, FieldSpec>;
  displayName?: (row: StoredRow, ctx: ComputeContext) => string;
}

const MODEL_SPECS: ModelSpec[] = [
  {
    name: 'res.partner',
    description: 'Contact',
    module: 'base',
    order: 'complete_name ASC, id DESC',
    fields: {
      name: char({ string: 'Name' }),
      complete_name: char({ string: 'Complete Name', readonly: true, compute: partnerCompleteName }),
      is_company: bool({ string: 'Is a Company', default: false }),
      type: selection(PARTNER_TYPES, { string: 'Address Type', default: 'contact' }),
      email: char({ string: 'Email' }),
      phone: char({ string: 'Phone' }),
      mobile: char({ string: 'Mobile', removedIn: 19 }),
      website: char({ string: 'Website Link' }),
      vat: char({ string: 'Tax ID' }),
      ref: char({ string: 'Reference' }),
      street: char({ string: 'Street' }),
      zip: char({ string: 'Zip' }),
      city: char({ string: 'City' }),
      country_id: m2o('res.country', { string: 'Country', ondelete: 'restrict' }),
      function: char({ string: 'Job Position' }),
      parent_id: m2o('res.partner', { string: 'Related Company' }),
      commercial_partner_id: m2o('res.partner', { string: 'Commercial Entity', readonly: true, compute: commercialPartnerId }),
      child_ids: o2m('res.partner', 'parent_id', { string: 'Contact' }),
      company_id: m2o('res.company', { string: 'Company' }),
      user_id: m2o('res.users', { string: 'Salesperson' }),
      customer_rank: int({ string: 'Customer Rank', default: 0, requires: 'account.move' }),
      supplier_rank: int({ string: 'Supplier Rank', default: 0, requires: 'account.move' }),
      active: active(),
    },
    displayName: partnerCompleteName,
  },
  {
    name: 'res.users',
    description: 'User',
    module: 'base',
    order: 'name, login',
    fields: {
      login: char({ string: 'Login', required: true }),
      name: char({ string: 'Name' }),
      email: char({ string: 'Email' }),
      partner_id: m2o('res.partner', { string: 'Related Partner', ondelete: 'restrict' }),
      company_id: m2o('res.company', { string: 'Company', default: 1 }),
      company_ids: m2m('res.company', { string: 'Companies' }),
      share: bool({ string: 'Share User', readonly: true, default: false, help: 'External user with limited access, created only for the purpose of sharing data.' }),
      login_date: datetime({ string: 'Latest authentication', readonly: true }),
      employee_ids: o2m('hr.employee', 'user_id', { string: 'Related employee', requires: 'hr.employee' }),
      active: active(),
    },
  },
  {
    name: 'res.company',
    description: 'Companies',
    module: 'base',
    order: 'sequence, name',
    fields: {
      name: char({ string: 'Company Name', required: true }),
      sequence: int({ string: 'Sequence', default: 10 }),
      partner_id: m2o('res.partner', { string: 'Partner' }),
      currency_id: m2o('res.currency', { string: 'Currency' }),
      email: char({ string: 'Email' }),
      active: active(),
    },
  },
  {
    name: 'res.country',
    description: 'Country',
    module: 'base',
    order: 'name',
    fields: {
      name: char({ string: 'Country Name', required: true }),
      code: char({ string: 'Country Code' }),
    },
  },
  {
    name: 'res.currency',
    description: 'Currency',
    module: 'base',
    order: 'active desc, name',
    fields: {
      name: char({ string: 'Currency', required: true }),
      symbol: char({ string: 'Symbol' }),
      active: active(),
    },
  },
  {
    name: 'crm.team',
    description: 'Sales Team',
    module: 'sales_team',
    order: 'sequence ASC, create_date DESC, id DESC',
    fields: {
      name: char({ string: 'Sales Team', required: true }),
      sequence: int({ string: 'Sequence', default: 10 }),
      user_id: m2o('res.users', { string: 'Team Leader' }),
      company_id: m2o('res.company', { string: 'Company' }),
      active: active(),
    },
  },
  {
    name: 'crm.stage',
    description: 'CRM Stages',
    module: 'crm',
    order: 'sequence, name, id',
    fields: {
      name: char({ string: 'Stage Name', required: true }),
      sequence: int({ string: 'Sequence', default: 1 }),
      is_won: bool({ string: 'Is Won Stage?', default: false }),
      fold: bool({ string: 'Folded in Pipeline', default: false }),
      team_id: m2o('crm.team', { string: 'Sales Team' }),
    },
  },
  {
    name: 'crm.lost.reason',
    description: 'Opp. Lost Reason',
    module: 'crm',
    order: 'name',
    fields: {
      name: char({ string: 'Description', required: true }),
      active: active(),
    },
  },
  {
    name: 'crm.lead',
    description: 'Lead/Opportunity',
    module: 'crm',
    order: 'priority desc, id desc',
    fields: {
      name: char({ string: 'Opportunity', required: true }),
      type: selection(
        [
          ['lead', 'Lead'],
          ['opportunity', 'Opportunity'],
        ],
        { string: 'Type', required: true, default: 'opportunity' },
      ),
      priority: selection(
        [
          ['0', 'Low'],
          ['1', 'Medium'],
          ['2', 'High'],
          ['3', 'Very High'],
        ],
        { string: 'Priority', default: '0' },
      ),
      user_id: m2o('res.users', { string: 'Salesperson' }),
      team_id: m2o('crm.team', { string: 'Sales Team' }),
      partner_id: m2o('res.partner', { string: 'Customer' }),
      stage_id: m2o('crm.stage', { string: 'Stage', ondelete: 'restrict' }),
      probability: float({ string: 'Probability', default: 0 }),
      expected_revenue: money({ string: 'Expected Revenue', default: 0 }),
      date_deadline: date({ string: 'Expected Closing' }),
      date_closed: datetime({ string: 'Closed Date' }),
      email_from: char({ string: 'Email' }),
      contact_name: char({ string: 'Contact Name' }),
      partner_name: char({ string: 'Company Name' }),
      company_id: m2o('res.company', { string: 'Company' }),
      lost_reason_id: m2o('crm.lost.reason', { string: 'Lost Reason', ondelete: 'restrict' }),
      tag_ids: m2m('crm.tag', { string: 'Tags' }),
      active: active(),
    },
  },
  {
    name: 'account.move',
    description: 'Journal Entry',
    module: 'account',
    order: 'date desc, name desc, id desc',
    fields: {
      name: char({ string: 'Number', default: '/' }),
      ref: char({ string: 'Reference' }),
      move_type: selection(
        [
          ['entry', 'Journal Entry'],
          ['out_invoice', 'Customer Invoice'],
          ['out_refund', 'Customer Credit Note'],
          ['in_invoice', 'Vendor Bill'],
          ['in_refund', 'Vendor Credit Note'],
          ['out_receipt', 'Sales Receipt'],
          ['in_receipt', 'Purchase Receipt'],
        ],
        { string: 'Type', required: true, default: 'entry' },
      ),
      state: selection(
        [
          ['draft', 'Draft'],
          ['posted', 'Posted'],
          ['cancel', 'Cancelled'],
        ],
        { string: 'Status', required: true, default: 'draft' },
      ),
      payment_state: selection(
        [
          ['not_paid', 'Not Paid'],
          ['in_payment', 'In Payment'],
          ['paid', 'Paid'],
          ['partial', 'Partially Paid'],
          ['reversed', 'Reversed'],
          ['invoicing_legacy', 'Invoicing App Legacy'],
        ],
        { string: 'Payment Status', default: 'not_paid' },
      ),
      date: date({ string: 'Date' }),
      invoice_date: date({ string: 'Invoice/Bill Date' }),
      invoice_date_due: date({ string: 'Due Date' }),
      amount_untaxed: money({ string: 'Untaxed Amount', default: 0 }),
      amount_tax: money({ string: 'Tax', default: 0 }),
      amount_total: money({ string: 'Total', default: 0 }),
      amount_residual: money({ string: 'Amount Due', default: 0 }),
      partner_id: m2o('res.partner', { string: 'Partner', ondelete: 'restrict' }),
      currency_id: m2o('res.currency', { string: 'Currency' }),
      invoice_user_id: m2o('res.users', { string: 'Salesperson' }),
      company_id: m2o('res.company', { string: 'Company' }),
    },
    displayName: moveDisplayName,
  },
  {
    name: 'hr.department',
    description: 'Department',
    module: 'hr',
    order: 'name',
    fields: {
      name: char({ string: 'Department Name', required: true }),
      company_id: m2o('res.company', { string: 'Company' }),
      active: active(),
    },
  },
  {
    name: 'hr.employee',
    description: 'Employee',
    module: 'hr',
    order: 'name',
    fields: {
      name: char({ string: 'Employee Name', required: true }),
      work_email: char({ string: 'Work Email' }),
      work_phone: char({ string: 'Work Phone' }),
      mobile_phone: char({ string: 'Work Mobile' }),
      job_title: char({ string: 'Job Title' }),
      user_id: m2o('res.users', { string: 'User' }),
      department_id: m2o('hr.department', { string: 'Department' }),
      parent_id: m2o('hr.employee', { string: 'Manager' }),
      child_ids: o2m('hr.employee', 'parent_id', { string: 'Direct subordinates' }),
      company_id: m2o('res.company', { string: 'Company', required: true, default: 1 }),
      private_email: char({ string: 'Private Email', hrOnly: true }),
      private_phone: char({ string: 'Private Phone', hrOnly: true }),
      birthday: date({ string: 'Date of Birth', hrOnly: true }),
      active: active(),
    },
  },
];

function buildModel(spec: ModelSpec): ModelDef {
  const fields = new Map<string, FieldDef>();
  for (const [name, field] of Object.entries({ ...MAGIC, ...spec.fields })) {
    fields.set(name, { ...field, name, string: field.string ?? label(name), store: field.store ?? true });
  }
  return {
    name: spec.name,
    description: spec.description,
    module: spec.module,
    order: spec.order,
    fields,
    hasActive: fields.has('active'),
    displayName: spec.displayName ?? ((row) => nameOf(row)),
  };
}

/** Every simulated model, by name. */
export const MODELS: ReadonlyMap<string, ModelDef> = new Map([...MODEL_SPECS, ...CRM_TAG_MODEL_SPECS, ...PRODUCT_MODEL_SPECS, ...MAIL_MODEL_SPECS].map((spec) => [spec.name, buildModel(spec)]));

/** Names of every simulated model. */
export const MODEL_NAMES: readonly string[] = [...MODELS.keys()];

/** Whether a field exists in a given Odoo major version with the given installed models. */
export function fieldAvailable(field: FieldDef, major: number, installed: ReadonlySet<string>): boolean {
  if (field.since !== undefined && major < field.since) return false;
  if (field.removedIn !== undefined && major >= field.removedIn) return false;
  if (field.requires !== undefined && !installed.has(field.requires)) return false;
  return true;
}

/** The value an unset field reads as (Odoo: 0 for numbers, `[]` for x2many, else `false`). */
export function emptyValue(field: FieldDef): StoredValue {
  switch (field.type) {
    case 'integer':
    case 'float':
    case 'monetary':
    case 'many2one_reference':
      return 0;
    case 'one2many':
    case 'many2many':
      return [];
    default:
      return false;
  }
}
