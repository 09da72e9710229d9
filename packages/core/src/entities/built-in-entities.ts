/**
 * The six built-in entities, defined with {@link defineEntity}: accounts and contacts
 * (`res.partner`), opportunities (`crm.lead`), invoices (`account.move`), employees
 * (`hr.employee`) and Odoo users (`res.users`).
 * @module
 */
import { z } from 'zod';
import { defineEntity, type EntitySpec, type FieldKind } from './entity-definition.js';
import { isoDateSchema, isoDatetimeSchema, many2OneSchema } from './odoo-values.js';

/** Names of the built-in entities. */
export type BuiltInEntityName = 'account' | 'contact' | 'opportunity' | 'invoice' | 'employee' | 'odoo_user';

/** The built-in entity names, in the order a full run syncs them (referenced records first). */
export const ENTITY_NAMES: readonly BuiltInEntityName[] = [
  'odoo_user',
  'employee',
  'account',
  'contact',
  'opportunity',
  'invoice',
];

const text = z.string().nullable();
const requiredText = z.string().min(1);
const m2o = many2OneSchema.nullable();
const num = z.number();
const id = z.number().int().positive();

function f<const O extends string, const K extends FieldKind>(odoo: O, kind: K): { odoo: O; kind: K } {
  return { odoo, kind };
}

/** A many2one field pointing at `relation`. */
function m2oTo<const O extends string>(odoo: O, relation: string): { odoo: O; kind: 'many2one'; relation: string } {
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

/** Any normalised record of a built-in entity. */
export type EntityRecord = EntityRecordMap[BuiltInEntityName];

/** The definition of every built-in entity, by name. */
export const ENTITY_SPECS: { readonly [N in BuiltInEntityName]: EntitySpec<N, EntityRecordMap[N]> } = {
  account: defineEntity({
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
    route: { path: 'accounts' },
  }),
  contact: defineEntity({
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
    route: { path: 'contacts' },
  }),
  opportunity: defineEntity({
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
    route: { path: 'opportunities' },
  }),
  invoice: defineEntity({
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
    route: { path: 'invoices' },
  }),
  employee: defineEntity({
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
    route: { path: 'employees' },
  }),
  odoo_user: defineEntity({
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
  }),
};

