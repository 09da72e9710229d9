/**
 * Pure helpers of OdooSource's keyset paging.
 *
 * Odoo shows `write_date` in whole seconds but stores it with microseconds (the start time of
 * the writing transaction). So `order write_date` sorts rows of one displayed second by their
 * hidden microseconds, not by id, and `write_date = 'HH:MM:SS'` matches nothing. Paging on
 * `(write_date > w) or (write_date = w and id > last)` would skip or loop. Instead, a page
 * ordered by `write_date, id` is cut at the last second it reaches: every earlier second in it is
 * complete (all its rows sort before the last second's rows). A second that does not fit is read
 * on its own, by id, between `w` and `w + 1 s`.
 * @module
 */
import type { OdooDomain, OdooRow } from '@odoo-sync/core';
import type { DomainTerm } from '@odoo-sync/core/store-kit';
import { toOdooDatetime } from './values.js';

const SECOND = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/;

/** The whole second of a `write_date` (raw `YYYY-MM-DD HH:MM:SS` or ISO-8601), or `null`. */
export function writeSecondOf(value: unknown): string | null {
  if (typeof value === 'string') {
    const match = SECOND.exec(value);
    return match ? `${match[1]} ${match[2]}` : null;
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) return toOdooDatetime(value);
  return null;
}

/** The second after `second` (`YYYY-MM-DD HH:MM:SS`). */
export function nextSecond(second: string): string {
  return toOdooDatetime(new Date(Date.parse(`${second.replace(' ', 'T')}Z`) + 1000));
}

/** `domain` AND `term`s (a domain is an implicit AND of its top-level terms). */
export function andTerms(domain: OdooDomain, ...terms: DomainTerm[]): OdooDomain {
  return [...domain, ...terms];
}

/** Orders rows by displayed write second, then id. */
export function compareBySecondThenId(a: OdooRow, b: OdooRow): number {
  const sa = writeSecondOf(a['write_date']) ?? '';
  const sb = writeSecondOf(b['write_date']) ?? '';
  return sa < sb ? -1 : sa > sb ? 1 : a.id - b.id;
}

/**
 * Splits a full page ordered by `write_date, id` into the rows of the seconds it holds whole
 * (sorted by second, then id) and the last second it reached, which may continue on the next page.
 */
export function splitAtLastSecond(rows: readonly OdooRow[]): { complete: OdooRow[]; lastSecond: string | null } {
  const last = rows.at(-1);
  const lastSecond = last ? writeSecondOf(last['write_date']) : null;
  if (lastSecond === null) return { complete: [], lastSecond };
  const complete = rows.filter((row) => {
    const second = writeSecondOf(row['write_date']);
    return second !== null && second < lastSecond;
  });
  complete.sort(compareBySecondThenId);
  return { complete, lastSecond };
}
