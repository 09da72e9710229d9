import { describe, expect, it } from 'vitest';
import { exactTime, formatDuration, relativeTime } from './time.js';

const now = Date.parse('2026-03-02T10:00:00.000Z');
const ago = (seconds: number): string => new Date(now - seconds * 1000).toISOString();

describe('relativeTime', () => {
  it('reads as people say it, with the largest unit that fits', () => {
    const en = { locale: 'en-US' };
    expect(relativeTime(ago(10), now, en)).toBe('now');
    expect(relativeTime(ago(50), now, en)).toBe('1 minute ago');
    expect(relativeTime(ago(3 * 60 + 10), now, en)).toBe('3 minutes ago');
    expect(relativeTime(ago(2 * 3600), now, en)).toBe('2 hours ago');
    expect(relativeTime(ago(26 * 3600), now, en)).toBe('yesterday');
    expect(relativeTime(ago(-12 * 60), now, en)).toBe('in 12 minutes');
    expect(relativeTime('not a date', now, en)).toBe('');
  });

  it('speaks the viewer’s language', () => {
    expect(relativeTime(ago(3 * 60), now, { locale: 'fr' })).toBe('il y a 3 minutes');
  });
});

it('exactTime gives the date and time in the time zone asked for', () => {
  expect(exactTime('2026-03-02T10:00:00.000Z', { locale: 'en-US', timeZone: 'Europe/Brussels' })).toBe('Mar 2, 2026, 11:00:00 AM GMT+1');
});

it('formatDuration', () => {
  expect(formatDuration(850)).toBe('850 ms');
  expect(formatDuration(12_400)).toBe('12 s');
  expect(formatDuration(185_000)).toBe('3 min 5 s');
  expect(formatDuration(120_000)).toBe('2 min');
});
