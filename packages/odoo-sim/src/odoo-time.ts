/**
 * Odoo's date and datetime text forms: datetimes are `YYYY-MM-DD HH:MM:SS` in UTC, whole
 * seconds; dates are `YYYY-MM-DD`.
 * @module
 */

/** Formats a moment as Odoo does: `YYYY-MM-DD HH:MM:SS`, UTC, whole seconds (truncated). */
export function formatOdooDatetime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('formatOdooDatetime needs a valid Date.');
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Formats a day as Odoo does: `YYYY-MM-DD` (UTC). */
export function formatOdooDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('formatOdooDate needs a valid Date.');
  return date.toISOString().slice(0, 10);
}

const DATETIME_INPUT = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads a datetime given by a client the way PostgreSQL reads it into a `timestamp without
 * time zone` column: a date alone means midnight, `T` or a space separate the parts, a zone
 * suffix is ignored. Returns `undefined` for text that is not a datetime.
 */
export function parseOdooDatetimeInput(text: string): string | undefined {
  const match = DATETIME_INPUT.exec(text.trim());
  if (!match) return undefined;
  const [, day, time, fraction] = match;
  let clock = time ?? '00:00:00';
  if (clock.length === 5) clock += ':00';
  return `${day} ${clock}${fraction && !/^\.0+$/.test(fraction) ? fraction : ''}`;
}

/** Reads a date given by a client (`YYYY-MM-DD`, a datetime's day part is accepted). */
export function parseOdooDateInput(text: string): string | undefined {
  const parsed = parseOdooDatetimeInput(text);
  return parsed?.slice(0, 10);
}
