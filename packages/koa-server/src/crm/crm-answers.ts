/**
 * The answers of the CRM routes (zod, turned into the OpenAPI document).
 * @module
 */
import type { EntityName } from '@odoo-sync/core';
import { z } from 'zod';
import { recordSchema } from '../http/schemas.js';

/** The answer of a CRM write: the record as stored after Odoo accepted it. */
export function crmWriteResultSchema(entity: EntityName) {
  return z.object({
    odooId: z.number().int().describe('Odoo id of the record written.'),
    reconciled: z.boolean().describe('True when the store holds Odoo\'s version of the record now (the next GET shows it).'),
    record: recordSchema(entity).nullable().describe('The record as read back from Odoo (its `odooWriteDate` is Odoo\'s `write_date`); null when it could not be read back.'),
    note: z.string().nullable().describe('When `reconciled` is false: Odoo accepted the change, and why the store does not show it yet (the next sync brings it in).'),
  });
}

/** A bounded list in the 360 view. */
function bounded(entity: EntityName, what: string) {
  return z.object({
    items: z.array(recordSchema(entity)).describe(what),
    more: z.boolean().describe('True when there are more than the items given.'),
  });
}

/** How many items each part of the 360 view holds at most. */
export const ACCOUNT_360_LIMITS = { contacts: 50, opportunities: 50, invoices: 10, activities: 20 } as const;

/** `GET /api/accounts/:odooId/360`. */
export const account360Schema = z.object({
  account: recordSchema('account'),
  contacts: bounded('contact', `Active contacts of the account (parentId), by Odoo id, at most ${ACCOUNT_360_LIMITS.contacts}.`),
  openOpportunities: bounded(
    'opportunity',
    `Active opportunities whose customer is the account and that are not won (probability below 100), by Odoo id, at most ${ACCOUNT_360_LIMITS.opportunities}.`,
  ),
  recentInvoices: bounded('invoice', `The account's newest invoices and credit notes (highest Odoo id first), at most ${ACCOUNT_360_LIMITS.invoices}.`),
  recentActivities: z.object({
    items: z.array(z.record(z.string(), z.unknown())).describe(`The newest activities on the account, at most ${ACCOUNT_360_LIMITS.activities}.`),
    more: z.boolean(),
  }),
});
