/**
 * Turns Odoo's wire values into plain ones, by field type (from `fields_get`). Pure.
 *
 * Odoo sends `false` for every empty field — text, dates, many2one alike — so only the field's
 * type tells an empty value from a real `false`.
 * @module
 */
import type { OdooRow } from '@odoo-sync/core';

/** What `fields_get` says about one field (the attributes this package reads, plus any other). */
export interface OdooFieldInfo {
  /** Field type: `char`, `boolean`, `many2one`, `datetime`, ... */
  type: string;
  /** Label. */
  string?: string;
  /** Target model of relational fields. */
  relation?: string;
  /** Other attributes that were asked for. */
  [attribute: string]: unknown;
}

/** A model's fields by name, as `fields_get` returns them. */
export type OdooFields = Readonly<Record<string, OdooFieldInfo>>;

/** A many2one value after normalisation. */
export interface OdooReference {
  /** Id of the referenced record. */
  id: number;
  /** Its display name at read time (`''` when Odoo sent a bare id). */
  name: string;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two digits at `index` of `value`, or -1. */
function twoDigits(value: string, index: number): number {
  const tens = value.charCodeAt(index) - 48;
  const ones = value.charCodeAt(index + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * True for the form Odoo sends, `YYYY-MM-DD HH:MM:SS`, naming a real instant (a day the month
 * has, leap years included; hours 00–23, minutes and seconds 00–59): then rearranging the text
 * gives exactly what `new Date(...).toISOString()` would. Pure, no allocation.
 */
function isPlainDatetime(value: string): boolean {
  if (value.length !== 19 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 32) return false;
  if (value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return false;
  const century = twoDigits(value, 0);
  const yearOfCentury = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (day <= 28) return true;
  if (month !== 2) return day <= (DAYS_IN_MONTH[month] as number);
  const year = century * 100 + yearOfCentury;
  return day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
const ODOO_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:Z|[+-]00:?00)?$/;

/**
 * Odoo's `YYYY-MM-DD HH:MM:SS` (UTC) → ISO-8601 with milliseconds and `Z`
 * (`2024-01-31T10:00:00.000Z`). Other strings are returned unchanged.
 */
export function odooDatetimeToIso(value: string): string {
  // The form Odoo sends, naming a real instant: rearranging the text gives what Date would.
  if (isPlainDatetime(value)) return `${value.slice(0, 10)}T${value.slice(11)}.000Z`;
  const match = ODOO_DATETIME.exec(value);
  if (!match) return value;
  const date = new Date(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** Formats a date as Odoo expects in a domain: `YYYY-MM-DD HH:MM:SS` in UTC, whole seconds (floored). */
export function toOdooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Normalises one value by field type:
 * - `boolean`: stays a boolean (`null`/missing → `false`);
 * - `many2one`: `[id, name]` or a bare id → `{ id, name }`, `false` → `null`;
 * - `datetime`: → ISO-8601 UTC with `Z`, `false` → `null`; `date` stays `YYYY-MM-DD`, `false` → `null`;
 * - `one2many`/`many2many`: list of ids, `false` → `[]`;
 * - any other type: `false` → `null`;
 * - unknown type (`undefined`): the value is left as it is.
 */
export function normalizeValue(value: unknown, type: string | undefined): unknown {
  if (type === undefined) return value;
  switch (type) {
    case 'boolean':
      return value === null || value === undefined ? false : value;
    case 'many2one':
      if (value === false || value === null || value === undefined) return null;
      if (Array.isArray(value) && typeof value[0] === 'number') {
        return { id: value[0], name: typeof value[1] === 'string' ? value[1] : '' } satisfies OdooReference;
      }
      if (typeof value === 'number') return { id: value, name: '' } satisfies OdooReference;
      return value;
    case 'datetime':
      if (value === false || value === null || value === undefined) return null;
      if (value instanceof Date) return value.toISOString();
      return typeof value === 'string' ? odooDatetimeToIso(value) : value;
    case 'one2many':
    case 'many2many':
      return value === false || value === null || value === undefined ? [] : value;
    default:
      return value === false || value === undefined ? null : value;
  }
}

/**
 * Normalises every field of a row with {@link normalizeValue}; `id` and fields missing from
 * `fields` are copied unchanged. Returns a new row.
 *
 * @example
 * ```ts
 * const fields = await client.modelFields('res.partner');
 * normalizeRow({ id: 7, email: false, parent_id: [3, 'Acme'], write_date: '2025-01-02 03:04:05' }, fields);
 * // { id: 7, email: null, parent_id: { id: 3, name: 'Acme' }, write_date: '2025-01-02T03:04:05.000Z' }
 * ```
 */
export function normalizeRow(row: OdooRow, fields: OdooFields): OdooRow {
  const out: OdooRow = { id: row.id };
  for (const key of Object.keys(row)) {
    if (key === 'id') continue;
    out[key] = normalizeValue(row[key], fields[key]?.type);
  }
  return out;
}

type Normalizer = (value: unknown) => unknown;

const isEmpty = (value: unknown) => value === false || value === null || value === undefined;
const normalizeBoolean: Normalizer = (value) => (value === null || value === undefined ? false : value);
const normalizeMany2one: Normalizer = (value) => {
  if (isEmpty(value)) return null;
  if (Array.isArray(value) && typeof value[0] === 'number') {
    return { id: value[0], name: typeof value[1] === 'string' ? value[1] : '' } satisfies OdooReference;
  }
  if (typeof value === 'number') return { id: value, name: '' } satisfies OdooReference;
  return value;
};
const normalizeDatetime: Normalizer = (value) => {
  if (isEmpty(value)) return null;
  if (typeof value === 'string') return odooDatetimeToIso(value);
  return value instanceof Date ? value.toISOString() : value;
};
const normalizeX2many: Normalizer = (value) => (isEmpty(value) ? [] : value);
const normalizeOther: Normalizer = (value) => (value === false || value === undefined ? null : value);

/**
 * The function {@link normalizeValue} amounts to for one field type, chosen once per field
 * rather than per value; `undefined` for an unknown type (values stay as they are).
 */
function normalizerFor(type: string | undefined): Normalizer | undefined {
  switch (type) {
    case undefined:
      return undefined;
    case 'boolean':
      return normalizeBoolean;
    case 'many2one':
      return normalizeMany2one;
    case 'datetime':
      return normalizeDatetime;
    case 'one2many':
    case 'many2many':
      return normalizeX2many;
    default:
      return normalizeOther;
  }
}

/**
 * Normalises rows the caller owns (freshly decoded from an answer) in place, field by field as
 * {@link normalizeRow} does, without copying them. Returns the same array.
 */
export function normalizeRowsInPlace(rows: OdooRow[], fields: OdooFields): OdooRow[] {
  let keys: string[] = [];
  let normalizers: Array<Normalizer | undefined> = [];
  for (const row of rows) {
    // Rows of one answer share their keys, in order: choose the normalisers once, and only
    // check (without allocating) that each row still has the same keys.
    let same = true;
    let count = 0;
    for (const key in row) {
      if (keys[count] !== key) {
        same = false;
        break;
      }
      count++;
    }
    if (!same || count !== keys.length) {
      keys = Object.keys(row);
      normalizers = keys.map((key) => (key === 'id' ? undefined : normalizerFor(fields[key]?.type)));
    }
    for (let i = 0; i < keys.length; i++) {
      const normalize = normalizers[i];
      if (normalize === undefined) continue;
      const key = keys[i]!;
      const value = row[key];
      const normalized = normalize(value);
      if (normalized !== value) row[key] = normalized;
    }
  }
  return rows;
}
