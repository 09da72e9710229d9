/**
 * Pure converters from Odoo's wire values to normalised values. Each accepts both Odoo's raw
 * form (`false` for empty, `[id, name]` pairs, `YYYY-MM-DD HH:MM:SS` UTC strings) and the form
 * an adapter may already have normalised (`null`, `{ id, name }`, ISO-8601), so a mapper works
 * whatever the transport did before it.
 * @module
 */
import { z } from 'zod';

/** A many2one reference after normalisation. */
export interface Many2One {
  /** Odoo id of the referenced record. */
  id: number;
  /** Its display name at read time (empty when Odoo sent a bare id). */
  name: string;
}

/** zod schema of {@link Many2One}. */
export const many2OneSchema = z.object({ id: z.number().int().positive(), name: z.string() }).strict();

const ODOO_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]00:?00)?$/;
const ODOO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The digit at `index` of `value`, or -1 when it is not a digit. */
function digit(value: string, index: number): number {
  const d = value.charCodeAt(index) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at `index`, or -1. */
function twoDigits(value: string, index: number): number {
  const tens = digit(value, index);
  const ones = digit(value, index + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when `value` is exactly what `Date.prototype.toISOString()` writes for a year 0000–9999:
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, a real calendar day (leap years included), hours 00–23, minutes and
 * seconds 00–59. Such strings have fixed-width fields, most significant first, so they sort as
 * the instants they name, and `new Date(value).toISOString() === value`. Pure, no allocation.
 */
export function isIsoUtcTimestamp(value: string): boolean {
  if (value.length !== 24) return false;
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84) return false; // - - T
  if (value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 46 || value.charCodeAt(23) !== 90) return false; // : : . Z
  const century = twoDigits(value, 0);
  const yearOfCentury = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  const millisecond = twoDigits(value, 20);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || millisecond < 0 || digit(value, 22) < 0) return false;
  if (day <= 28) return true;
  if (month !== 2) return day <= (DAYS_IN_MONTH[month] as number);
  const year = century * 100 + yearOfCentury;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day === 29 && leap;
}

/** A many2one the adapter already normalised: exactly `{ id, name }` with a number and a string. */
function isReference(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, name } = value as { id?: unknown; name?: unknown };
  if (typeof id !== 'number' || typeof name !== 'string') return false;
  // Object.keys(value).length === 2, without building the list.
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++count > 2) return false;
  return count === 2;
}

/** Odoo's empty value (`false`), `null` or `undefined` → `null`. */
function isEmpty(value: unknown): value is false | null | undefined {
  return value === false || value === null || value === undefined;
}

/** Text field: `false` → `null`; other strings unchanged; anything else is left for the schema to reject. */
export function odooText(value: unknown): unknown {
  return isEmpty(value) ? null : value;
}

/** Number field (integer, float, monetary). Odoo sends `0` for empty numbers; `false` → `null`. */
export function odooNumber(value: unknown): unknown {
  return isEmpty(value) ? null : value;
}

/** Boolean field: a real boolean stays as it is (`false` means false here, not empty). */
export function odooBoolean(value: unknown): unknown {
  return value === null || value === undefined ? false : value;
}

/** Many2one: `[id, name]`, `{ id, name }` or a bare id → {@link Many2One}; `false` → `null`. */
export function odooMany2One(value: unknown): unknown {
  if (isEmpty(value)) return null;
  if (isReference(value)) return value;
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number') {
    return { id: value[0], name: typeof value[1] === 'string' ? value[1] : String(value[1] ?? '') };
  }
  if (typeof value === 'number') return { id: value, name: '' };
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const { id, name } = value as { id: unknown; name?: unknown };
    return { id, name: typeof name === 'string' ? name : '' };
  }
  return value;
}

/** x2many: a list of ids (Odoo already sends that); `false` → `[]`. */
export function odooIds(value: unknown): unknown {
  return isEmpty(value) ? [] : value;
}

/**
 * Datetime: Odoo's `YYYY-MM-DD HH:MM:SS` (UTC, no zone) or an ISO-8601 string → ISO-8601 with
 * milliseconds and `Z`; `false` → `null`. A string that is not a datetime is left for the schema to reject.
 */
export function odooDatetime(value: unknown): unknown {
  if (isEmpty(value)) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
  if (typeof value !== 'string') return value;
  // Already normalised by the adapter (`2024-01-31T10:00:00.000Z`, a whole second): converting
  // it again would give the same string.
  if (value.endsWith('.000Z') && isIsoUtcTimestamp(value)) return value;
  const m = ODOO_DATETIME.exec(value);
  if (m) {
    const date = new Date(`${m[1]}T${m[2]}Z`);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  return value;
}

/** Date: `YYYY-MM-DD` stays; `false` → `null`. */
export function odooDate(value: unknown): unknown {
  return isEmpty(value) ? null : value;
}

/** zod schema of a normalised ISO-8601 UTC datetime string (`2024-01-31T10:00:00.000Z`). */
export const isoDatetimeSchema = z.iso.datetime();

/** zod schema of a calendar date `YYYY-MM-DD`. */
export const isoDateSchema = z.string().regex(ODOO_DATE, 'expected a date YYYY-MM-DD');

/** Converts an Odoo field name to its normalised camelCase key (`work_email` → `workEmail`). */
export function camelCase(field: string): string {
  // Called for every field of every row: field names are few, so remember them.
  let key = camelCaseCache.get(field);
  if (key === undefined) {
    key = field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelCaseCache.size < 10_000) camelCaseCache.set(field, key);
  }
  return key;
}

const camelCaseCache = new Map<string, string>();
