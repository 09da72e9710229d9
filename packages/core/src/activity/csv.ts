/**
 * Activities as CSV for spreadsheet tools: RFC 4180, UTF-8 with a byte-order mark, and a
 * defence against formula injection. Pure and streaming: activities in, text chunks out.
 * @module
 */
import type { Activity } from '../ports.js';

/**
 * The columns of an activity export, in order (the header row). `metadata` is the activity's
 * metadata as JSON text; `timestamp` is ISO-8601 UTC.
 */
export const ACTIVITY_CSV_COLUMNS = [
  'id',
  'timestamp',
  'activity_type',
  'source',
  'title',
  'entity_type',
  'entity_id',
  'user_id',
  'user_name',
  'metadata',
] as const;

/** The byte-order mark that tells spreadsheet tools the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell: a value that a spreadsheet would read as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or carriage return) gets a leading `'`; a value holding a quote, comma or line
 * break is quoted, with quotes doubled (RFC 4180). `null` is an empty cell.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One activity as a CSV record (no line break), columns as in {@link ACTIVITY_CSV_COLUMNS}. */
export function activityCsvRow(activity: Activity): string {
  return [
    activity.id,
    activity.timestamp,
    activity.activityType,
    activity.source,
    activity.title,
    activity.entityType,
    activity.entityId,
    activity.userId,
    activity.userName,
    JSON.stringify(activity.metadata),
  ]
    .map(csvCell)
    .join(',');
}

/** Options of {@link activitiesToCsv}. */
export interface ActivityCsvOptions {
  /**
   * Chunks are cut once they reach about this many characters (fewer, larger writes).
   * @default 16384
   */
  chunkSize?: number;
}

/**
 * Turns activities into CSV text chunks: first the byte-order mark and the header row, then
 * one record per activity, each ending in CRLF. Reads one activity at a time, so memory stays
 * constant however many there are.
 *
 * @example
 * ```ts
 * ctx.type = 'text/csv; charset=utf-8';
 * ctx.body = Readable.from(activitiesToCsv(store.streamActivities(filter)));
 * ```
 */
export async function* activitiesToCsv(
  activities: AsyncIterable<Activity> | Iterable<Activity>,
  options: ActivityCsvOptions = {},
): AsyncGenerator<string, void, undefined> {
  const chunkSize = options.chunkSize ?? 16_384;
  let chunk = `${UTF8_BOM}${ACTIVITY_CSV_COLUMNS.join(',')}\r\n`;
  for await (const activity of activities) {
    chunk += `${activityCsvRow(activity)}\r\n`;
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
