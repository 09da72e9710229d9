/**
 * When the scheduler makes a scheduled run a full reconcile. An incremental run reads what
 * changed since its cursor; some changes never touch `write_date` (a deleted partner nulls the
 * reference on its opportunities in the database), so a full run every day or so puts them
 * right. Pure: the time comes in as an argument.
 * @module
 */

/** How often, and when, scheduled runs are full. */
export interface FullRunSchedule {
  /** Hours between full runs; 0 turns scheduled full runs off. */
  everyHours: number;
  /**
   * Local hour (0–23) at which a full run falls when `everyHours` is 24 or more: the one
   * nearest to `everyHours` after the last full run. `null` runs it as soon as it is due.
   */
  atHour: number | null;
  /** IANA time zone of `atHour` (e.g. `Europe/Brussels`); `undefined` is the process's. */
  timeZone?: string | undefined;
}

const HOUR = 3_600_000;
const QUARTER = 15 * 60_000;

/** Names of UTC itself, whose hours need no time-zone data. */
const UTC_NAMES: ReadonlySet<string> = new Set(['UTC', 'ETC/UTC', 'GMT', 'ETC/GMT']);

/** Whether `name` is UTC under one of its usual names (IANA names compare without case). */
function isUtc(name: string): boolean {
  return UTC_NAMES.has(name.toUpperCase());
}

/** Whether `name` is a time zone this runtime knows (an IANA name such as `Europe/Brussels`, or `UTC`). */
export function isTimeZone(name: string): boolean {
  if (isUtc(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Checks a {@link FullRunSchedule} (a `TypeError` naming the bad option). */
export function validateFullRunSchedule(schedule: FullRunSchedule): FullRunSchedule {
  if (!Number.isInteger(schedule.everyHours) || schedule.everyHours < 0 || schedule.everyHours > 24 * 365) {
    throw new TypeError('SyncScheduler option fullRuns.everyHours must be a whole number of hours from 0 (off) to 8760.');
  }
  if (schedule.atHour !== null && (!Number.isInteger(schedule.atHour) || schedule.atHour < 0 || schedule.atHour > 23)) {
    throw new TypeError('SyncScheduler option fullRuns.atHour must be a whole hour from 0 to 23, or null.');
  }
  if (schedule.timeZone !== undefined && !isTimeZone(schedule.timeZone)) {
    throw new TypeError(`SyncScheduler option fullRuns.timeZone "${schedule.timeZone}" is not a known IANA time zone.`);
  }
  return schedule;
}

function localHourOf(timeZone: string | undefined): (at: Date) => { hour: number; minute: number } {
  // The first Intl.DateTimeFormat maps ICU's locale data into the process for good (about 5 MB
  // of an idle server's RSS); the process's own zone and UTC are read from the Date itself.
  if (timeZone === undefined) return (at) => ({ hour: at.getHours(), minute: at.getMinutes() });
  if (isUtc(timeZone)) return (at) => ({ hour: at.getUTCHours(), minute: at.getUTCMinutes() });
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
  return (at) => {
    const parts = format.formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return { hour: get('hour') % 24, minute: get('minute') };
  };
}

/** The first start of the local hour `hour` at or after `from` (to the quarter hour). */
function firstSlotAtOrAfter(from: number, hour: number, timeZone: string | undefined): number {
  const local = localHourOf(timeZone);
  let t = Math.ceil(from / QUARTER) * QUARTER;
  for (let i = 0; i < 4 * 24 * 3; i++, t += QUARTER) {
    const { hour: h, minute } = local(new Date(t));
    if (h === hour && minute < 15) return t;
  }
  return from; // A zone without that hour in three days does not exist; run when due.
}

/**
 * When the next scheduled full run is due, or `null` when scheduled full runs are off.
 * - Without `atHour` (or under 24 hours): `everyHours` after the last full run; at once when
 *   there was none.
 * - With `atHour`: the start of that local hour nearest to `everyHours` after the last full run
 *   (at least 12 hours after it); with none yet, the next such hour (now, within it).
 */
export function nextFullRunAt(schedule: FullRunSchedule, lastFullAt: string | null, now: Date): Date | null {
  if (schedule.everyHours === 0) return null;
  const last = lastFullAt === null ? Number.NaN : Date.parse(lastFullAt);
  const useHour = schedule.atHour !== null && schedule.everyHours >= 24;
  if (!useHour) return new Date(Number.isNaN(last) ? now.getTime() : last + schedule.everyHours * HOUR);
  const hour = schedule.atHour!;
  if (Number.isNaN(last)) {
    const { hour: h } = localHourOf(schedule.timeZone)(now);
    return h === hour ? now : new Date(firstSlotAtOrAfter(now.getTime(), hour, schedule.timeZone));
  }
  return new Date(firstSlotAtOrAfter(last + schedule.everyHours * HOUR - 12 * HOUR, hour, schedule.timeZone));
}

/** Whether a run starting at `now` is a scheduled full run. */
export function isFullRunDue(schedule: FullRunSchedule, lastFullAt: string | null, now: Date): boolean {
  const next = nextFullRunAt(schedule, lastFullAt, now);
  return next !== null && next.getTime() <= now.getTime();
}
