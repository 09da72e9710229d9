/**
 * Which columns `<odoo-sync-records>` shows for each kind of record, and how a value reads.
 * Pure: no I/O.
 * @module
 */

/** A record as `GET /api/<path>` answers it (the fields the page reads). */
export interface RecordView {
  /** The Odoo id. */
  odooId: number;
  /** The normalised Odoo fields. */
  data: Readonly<Record<string, unknown>>;
  /** False when archived or deleted in Odoo. */
  isActive: boolean;
  /** Why it is inactive. */
  inactiveReason: 'archived' | 'deleted' | null;
}

/** One column of the records table. */
export interface RecordColumn {
  /** Column heading. */
  label: string;
  /** The cell's text. */
  value: (data: Readonly<Record<string, unknown>>) => string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** Hidden when the element is narrow (a phone). */
  secondary?: boolean;
}

/** The record kinds the page knows by name, with their singular and plural words. */
export interface RecordKind {
  /** "accounts" */
  plural: string;
  /** "account" */
  singular: string;
  /** The columns; the first one names the record. */
  columns: readonly RecordColumn[];
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && 'name' in value && typeof (value as { name: unknown }).name === 'string') return (value as { name: string }).name;
  return '';
}

/** The text of a field: strings, numbers, and the name of a many2one (`{ id, name }`). */
export function fieldText(data: Readonly<Record<string, unknown>>, key: string): string {
  return text(data[key]);
}

function field(label: string, key: string, extra: Partial<RecordColumn> = {}): RecordColumn {
  return { label, value: (data) => fieldText(data, key), ...extra };
}

function amount(value: unknown, currency: unknown): string {
  if (typeof value !== 'number') return '';
  const code = text(currency);
  const figure = value.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return code ? `${figure} ${code}` : figure;
}

const INVOICE_STATES: Readonly<Record<string, string>> = { draft: 'Draft', posted: 'Posted', cancel: 'Cancelled' };
const PAYMENT_STATES: Readonly<Record<string, string>> = {
  not_paid: 'not paid',
  in_payment: 'in payment',
  paid: 'paid',
  partial: 'partly paid',
  reversed: 'reversed',
  invoicing_legacy: 'legacy',
};

/** The kinds `<odoo-sync-records entity="…">` knows, by the API path. */
export const RECORD_KINDS: Readonly<Record<string, RecordKind>> = {
  accounts: {
    plural: 'accounts',
    singular: 'account',
    columns: [field('Name', 'name'), field('E-mail', 'email'), field('Phone', 'phone', { secondary: true }), field('City', 'city'), field('Country', 'countryId', { secondary: true })],
  },
  contacts: {
    plural: 'contacts',
    singular: 'contact',
    columns: [field('Name', 'name'), field('Company', 'parentId'), field('E-mail', 'email'), field('Phone', 'phone', { secondary: true }), field('Job', 'function', { secondary: true })],
  },
  opportunities: {
    plural: 'opportunities',
    singular: 'opportunity',
    columns: [
      field('Name', 'name'),
      field('Customer', 'partnerId'),
      field('Stage', 'stageId'),
      field('Salesperson', 'userId', { secondary: true }),
      { label: 'Expected revenue', numeric: true, value: (d) => amount(d['expectedRevenue'], null) },
      { label: 'Probability', numeric: true, secondary: true, value: (d) => (typeof d['probability'] === 'number' ? `${d['probability']} %` : '') },
    ],
  },
  invoices: {
    plural: 'invoices',
    singular: 'invoice',
    columns: [
      { label: 'Number', value: (d) => fieldText(d, 'name') || (d['moveType'] === 'out_refund' ? 'Credit note (draft)' : 'Invoice (draft)') },
      field('Customer', 'partnerId'),
      field('Date', 'invoiceDate', { secondary: true }),
      field('Due', 'invoiceDateDue', { secondary: true }),
      { label: 'Total', numeric: true, value: (d) => amount(d['amountTotal'], d['currencyId']) },
      { label: 'Amount due', numeric: true, secondary: true, value: (d) => amount(d['amountResidual'], d['currencyId']) },
      {
        label: 'Status',
        value: (d) => {
          const state = INVOICE_STATES[fieldText(d, 'state')] ?? fieldText(d, 'state');
          const payment = fieldText(d, 'paymentState');
          return d['state'] === 'posted' && payment ? `${state}, ${PAYMENT_STATES[payment] ?? payment}` : state;
        },
      },
    ],
  },
};

/**
 * The kind for an API path: a known one, or — for an entity an embedder defined — a plain
 * table of its name. `null` for a path that is not a plain path segment.
 */
export function recordKind(path: string): RecordKind | null {
  const known = RECORD_KINDS[path];
  if (known) return known;
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(path)) return null;
  return { plural: path.replace(/[-_]/g, ' '), singular: 'record', columns: [field('Name', 'name')] };
}

/** "Archived" / "Deleted in Odoo" for an inactive record, `null` for an active one. */
export function inactiveLabel(record: Pick<RecordView, 'isActive' | 'inactiveReason'>): string | null {
  if (record.isActive) return null;
  return record.inactiveReason === 'deleted' ? 'Deleted in Odoo' : 'Archived';
}
