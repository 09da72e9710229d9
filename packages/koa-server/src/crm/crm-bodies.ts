/**
 * The request bodies of the CRM write routes (zod, field names as the API answers records:
 * `expectedRevenue`, `stageId`, `userId`, `dateDeadline` …) and how each maps to Odoo's
 * fields. Pure: no I/O.
 * @module
 */
import { z } from 'zod';

const odooId = z.number().int().positive().max(2_147_483_647);
const text = (max: number) => z.string().trim().min(1).max(max);
/** Optional text that `null` clears in Odoo. */
const clearableText = (max: number) => text(max).nullable().optional();
const isoDate = z.iso.date().describe('A date, YYYY-MM-DD.');

const opportunityFields = {
  name: text(250).describe('Title, e.g. `Cloud Migration Project`.'),
  accountId: odooId.nullable().optional().describe('The customer company (Odoo id of an account).'),
  contactId: odooId
    .nullable()
    .optional()
    .describe('The person at the customer (Odoo id of a contact); Odoo derives the company from them. Takes precedence over `accountId` as Odoo\'s customer.'),
  expectedRevenue: z.number().min(0).max(1e15).optional().describe('Expected revenue, in the company currency.'),
  probability: z.number().min(0).max(100).optional().describe('Probability of winning, 0–100.'),
  stageId: odooId.optional().describe('Pipeline stage (Odoo id of a `crm.stage`).'),
  userId: odooId
    .nullable()
    .optional()
    .describe('Salesperson (Odoo id of a `res.users`). On create it defaults to the caller\'s linked Odoo user.'),
  tagIds: z.array(odooId).max(100).optional().describe('Tags (Odoo ids of `crm.tag`); replaces the tags on update.'),
  dateDeadline: isoDate.nullable().optional().describe('Expected closing date.'),
};

/** `POST /api/opportunities`. */
export const opportunityCreateSchema = z.object(opportunityFields).strict();
/** The body of `POST /api/opportunities`. */
export type OpportunityCreate = z.infer<typeof opportunityCreateSchema>;

/** `PATCH /api/opportunities/:odooId`: any of the create fields, at least one. */
export const opportunityPatchSchema = z
  .object({ ...opportunityFields, name: opportunityFields.name.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');
/** The body of `PATCH /api/opportunities/:odooId`. */
export type OpportunityPatch = z.infer<typeof opportunityPatchSchema>;

/** `POST /api/opportunities/:odooId/lost`. */
export const opportunityLostSchema = z
  .object({
    reason: z
      .union([odooId, text(200)])
      .optional()
      .describe('Why it was lost: the Odoo id of a lost reason (`crm.lost.reason`), or its text (found by name, ignoring case, or created).'),
  })
  .strict();
/** The body of `POST /api/opportunities/:odooId/lost`. */
export type OpportunityLost = z.infer<typeof opportunityLostSchema>;

/** `POST /api/opportunities/:odooId/won` takes no fields (an empty body or `{}`). */
export const opportunityWonSchema = z.object({}).strict();

const accountFields = {
  name: text(250).describe('Company name.'),
  email: clearableText(250),
  phone: clearableText(64),
  website: clearableText(250),
  vat: clearableText(64).describe('Tax id.'),
  city: clearableText(128),
  countryId: odooId.nullable().optional().describe('Odoo id of a `res.country`.'),
};

/** `POST /api/accounts`. */
export const accountCreateSchema = z.object(accountFields).strict();
/** The body of `POST /api/accounts`. */
export type AccountCreate = z.infer<typeof accountCreateSchema>;

/** `PATCH /api/accounts/:odooId`. */
export const accountPatchSchema = z
  .object({ ...accountFields, name: accountFields.name.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');
/** The body of `PATCH /api/accounts/:odooId`. */
export type AccountPatch = z.infer<typeof accountPatchSchema>;

const contactFields = {
  name: text(250).describe('Full name.'),
  email: clearableText(250),
  phone: clearableText(64),
  function: clearableText(128).describe('Job position.'),
  city: clearableText(128),
  accountId: odooId.nullable().optional().describe('The company they work for (Odoo id of an account): Odoo\'s `parent_id`.'),
};

/** `POST /api/contacts`. */
export const contactCreateSchema = z.object(contactFields).strict();
/** The body of `POST /api/contacts`. */
export type ContactCreate = z.infer<typeof contactCreateSchema>;

/** `PATCH /api/contacts/:odooId`. */
export const contactPatchSchema = z
  .object({ ...contactFields, name: contactFields.name.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');
/** The body of `PATCH /api/contacts/:odooId`. */
export type ContactPatch = z.infer<typeof contactPatchSchema>;

/** Field values as Odoo's `create` / `write` take them (`false` clears). */
export type OdooValues = Record<string, string | number | boolean | unknown[]>;

/** API field → Odoo field, for the fields that map one to one. */
const OPPORTUNITY_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  expectedRevenue: 'expected_revenue',
  probability: 'probability',
  stageId: 'stage_id',
  userId: 'user_id',
  dateDeadline: 'date_deadline',
};

const ACCOUNT_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  website: 'website',
  vat: 'vat',
  city: 'city',
  countryId: 'country_id',
};

const CONTACT_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  function: 'function',
  city: 'city',
  accountId: 'parent_id',
};

function mapped(body: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, string>>): OdooValues {
  const values: OdooValues = {};
  for (const [name, odoo] of Object.entries(fields)) {
    if (!(name in body)) continue;
    const value = body[name];
    if (value === undefined) continue;
    values[odoo] = value === null ? false : (value as string | number | boolean);
  }
  return values;
}

/**
 * The Odoo values of an opportunity create or update. The customer (`partner_id`) is the
 * contact when one is given, else the account. On create, `type` is `opportunity` and the
 * salesperson defaults to `defaultUserId` (the caller's Odoo user).
 *
 * @example
 * ```ts
 * opportunityValues({ name: 'Cloud Migration Project', accountId: 7 }, { create: true, defaultUserId: 6 });
 * // { name: 'Cloud Migration Project', partner_id: 7, type: 'opportunity', user_id: 6 }
 * ```
 */
export function opportunityValues(body: OpportunityCreate | OpportunityPatch, options: { create: boolean; defaultUserId?: number }): OdooValues {
  const values = mapped(body, OPPORTUNITY_FIELDS);
  if (body.contactId !== undefined && body.contactId !== null) values['partner_id'] = body.contactId;
  else if (body.accountId !== undefined) values['partner_id'] = body.accountId ?? false;
  else if (body.contactId === null) values['partner_id'] = false;
  if (body.tagIds !== undefined) values['tag_ids'] = [[6, 0, [...body.tagIds]]];
  if (options.create) {
    values['type'] = 'opportunity';
    if (body.userId === undefined && options.defaultUserId !== undefined) values['user_id'] = options.defaultUserId;
  }
  return values;
}

/** The Odoo values of an account (a company `res.partner`) create or update. */
export function accountValues(body: AccountCreate | AccountPatch, options: { create: boolean }): OdooValues {
  const values = mapped(body, ACCOUNT_FIELDS);
  if (options.create) values['is_company'] = true;
  return values;
}

/** The Odoo values of a contact (a person `res.partner`, `parent_id` = their account) create or update. */
export function contactValues(body: ContactCreate | ContactPatch, options: { create: boolean }): OdooValues {
  const values = mapped(body, CONTACT_FIELDS);
  if (options.create) {
    values['is_company'] = false;
    values['type'] = 'contact';
  }
  return values;
}

/** The fields of a lost reason given as text: Odoo's `=ilike` finds it whatever its case. */
export function lostReasonDomain(text: string): unknown[] {
  return [['name', '=ilike', text.replace(/[\\%_]/g, (c) => `\\${c}`)]];
}
