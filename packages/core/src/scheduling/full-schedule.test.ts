import { describe, expect, it, vi } from 'vitest';
import { isFullRunDue, nextFullRunAt, validateFullRunSchedule } from './full-schedule.js';

const daily = { everyHours: 24, atHour: 3, timeZone: 'Europe/Brussels' };

describe('nextFullRunAt', () => {
  it('is off with everyHours 0', () => {
    expect(nextFullRunAt({ everyHours: 0, atHour: 3 }, null, new Date('2026-03-01T10:00:00Z'))).toBeNull();
  });

  it('falls at the local hour nearest to the period after the last full run, across a DST change', () => {
    // 03:00 in Brussels is 02:00 UTC in winter (CET) and 01:00 UTC in summer (CEST, from 29 March 2026).
    expect(nextFullRunAt(daily, '2026-03-01T02:07:00Z', new Date('2026-03-01T12:00:00Z'))?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(nextFullRunAt(daily, '2026-03-29T01:05:00Z', new Date('2026-03-29T12:00:00Z'))?.toISOString()).toBe('2026-03-30T01:00:00.000Z');
    // A full run by hand in the afternoon: the next night's slot (13 h later), not one a day later.
    expect(nextFullRunAt(daily, '2026-03-01T13:00:00Z', new Date('2026-03-01T14:00:00Z'))?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    // Late in the evening: the night after next (the nearest slot is more than 12 h away from the period's end).
    expect(nextFullRunAt(daily, '2026-03-01T22:00:00Z', new Date('2026-03-01T23:00:00Z'))?.toISOString()).toBe('2026-03-03T02:00:00.000Z');
  });

  it('with no full run yet, is the next such hour, and due within it', () => {
    expect(nextFullRunAt(daily, null, new Date('2026-03-01T10:00:00Z'))?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(isFullRunDue(daily, null, new Date('2026-03-02T02:40:00Z'))).toBe(true);
    expect(isFullRunDue(daily, null, new Date('2026-03-02T03:40:00Z'))).toBe(false);
  });

  it('without an hour, or under a day, is simply the period after the last one (at once when none)', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(nextFullRunAt({ everyHours: 6, atHour: 3 }, '2026-03-01T09:00:00Z', now)?.toISOString()).toBe('2026-03-01T15:00:00.000Z');
    expect(nextFullRunAt({ everyHours: 24, atHour: null }, null, now)?.toISOString()).toBe(now.toISOString());
  });

  it('refuses bad options with a TypeError', () => {
    expect(() => validateFullRunSchedule({ everyHours: -1, atHour: null })).toThrow(TypeError);
    expect(() => validateFullRunSchedule({ everyHours: 24, atHour: 24 })).toThrow(TypeError);
    expect(() => validateFullRunSchedule({ everyHours: 24, atHour: 3, timeZone: 'Mars/Olympus' })).toThrow(TypeError);
  });
});

describe('nextFullRunAt in the process time zone or UTC', () => {
  const lastRuns = [null, '2026-03-01T02:07:00Z', '2026-03-29T00:30:00Z', '2026-10-24T23:10:00Z', '2026-07-01T13:00:00Z'];
  const nows = ['2026-03-01T10:00:00Z', '2026-03-29T12:00:00Z', '2026-10-25T01:40:00Z', '2026-07-02T02:05:00Z'];
  const all = (timeZone: string | undefined) =>
    lastRuns.flatMap((last) => nows.map((now) => nextFullRunAt({ everyHours: 24, atHour: 3, timeZone }, last, new Date(now))?.toISOString()));

  it.each(['Europe/Brussels', 'America/New_York', 'Asia/Kolkata'])(
    'with TZ=%s, falls where the zone named to Intl puts it, without building an Intl formatter',
    (zone) => {
      const saved = process.env['TZ'];
      process.env['TZ'] = zone; // Node applies a new TZ to Date and Intl at once.
      const formatter = vi.spyOn(Intl, 'DateTimeFormat');
      try {
        const local = all(undefined);
        const utc = all('UTC');
        expect(validateFullRunSchedule({ everyHours: 24, atHour: 3, timeZone: 'Etc/UTC' }).timeZone).toBe('Etc/UTC');
        expect(formatter).not.toHaveBeenCalled();
        formatter.mockRestore();
        expect(local).toEqual(all(zone));
        expect(utc).toEqual(all('Etc/Greenwich'));
        expect(local).not.toEqual(utc);
      } finally {
        formatter.mockRestore();
        if (saved === undefined) delete process.env['TZ'];
        else process.env['TZ'] = saved;
      }
    },
  );
});
