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

/**
 * A datetime the adapter already normalised (`toISOString()` of a whole second), on a day every
 * month has: converting it again would give the same string. Days 29–31 take the long way, which
 * rolls an impossible date over as before.
 */
const ISO_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.000Z$/;

/** A many2one the adapter already normalised: exactly `{ id, name }` with a number and a string. */
function isReference(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, name } = value as { id?: unknown; name?: unknown };
  return typeof id === 'number' && typeof name === 'string' && Object.keys(value).length === 2;
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
  // Already normalised by the adapter (`2024-01-31T10:00:00.000Z`): nothing to convert again.
  if (ISO_UTC.test(value)) return value;
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
