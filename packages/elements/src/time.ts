/**
 * Times as people read them: "3 minutes ago", "in 12 minutes", and the exact time in the
 * viewer's time zone. Pure functions: the current time is always passed in.
 * @module
 */

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** Options of {@link relativeTime} and {@link exactTime}. */
export interface TimeFormatOptions {
  /** BCP 47 locale(s). @default the viewer's (`navigator.language`) */
  locale?: string | readonly string[];
  /** IANA time zone for {@link exactTime}. @default the viewer's */
  timeZone?: string;
}

function toMs(value: Date | string | number): number {
  return value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
}

/**
 * "3 minutes ago" / "in 2 hours" / "now", in the viewer's locale, with the largest unit that
 * fits (under 45 seconds counts as now).
 *
 * @example
 * ```ts
 * relativeTime('2026-03-02T10:00:00Z', Date.parse('2026-03-02T10:03:10Z'), { locale: 'en' }); // "3 minutes ago"
 * ```
 */
export function relativeTime(value: Date | string | number, now: Date | number, options: TimeFormatOptions = {}): string {
  const seconds = (toMs(value) - toMs(now)) / 1000;
  const format = new Intl.RelativeTimeFormat(options.locale, { numeric: 'auto' });
  if (!Number.isFinite(seconds)) return '';
  const abs = Math.abs(seconds);
  if (abs < 45) return format.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'minute') return format.format(Math.round(seconds / size) || Math.sign(seconds), unit);
  }
  return format.format(0, 'second');
}

/** The exact date and time, with its time zone, in the viewer's locale: for `title` and `<time>`. */
export function exactTime(value: Date | string | number, options: TimeFormatOptions = {}): string {
  const ms = toMs(value);
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat(options.locale as string | string[] | undefined, {
    dateStyle: 'medium',
    timeStyle: 'long',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  }).format(ms);
}

/** How long something took: "850 ms", "12 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
