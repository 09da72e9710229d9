/**
 * The `id` / `write_date` bounds a domain's top-level AND implies, for the query planner.
 * @module
 */
import type { IdBounds, TextBounds } from './domain.js';
import { parseOdooDatetimeInput } from './odoo-time.js';

/** Narrows `bounds` by one `id` leaf. */
export function narrowIds(bounds: IdBounds, operator: string, value: unknown): void {
  const values = Array.isArray(value) ? value : [value];
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (nums.length !== values.length) return;
  const [first] = nums;
  switch (operator) {
    case '=':
      if (first !== undefined && nums.length === 1) {
        bounds.low = Math.max(bounds.low, Math.ceil(first));
        bounds.high = Math.min(bounds.high, Math.floor(first));
      }
      break;
    case 'in':
      if (nums.length === 0) {
        bounds.low = 1;
        bounds.high = 0;
      } else {
        bounds.low = Math.max(bounds.low, Math.ceil(Math.min(...nums)));
        bounds.high = Math.min(bounds.high, Math.floor(Math.max(...nums)));
      }
      break;
    case '>':
      if (first !== undefined) bounds.low = Math.max(bounds.low, Math.floor(first) + 1);
      break;
    case '>=':
      if (first !== undefined) bounds.low = Math.max(bounds.low, Math.ceil(first));
      break;
    case '<':
      if (first !== undefined) bounds.high = Math.min(bounds.high, Math.ceil(first) - 1);
      break;
    case '<=':
      if (first !== undefined) bounds.high = Math.min(bounds.high, Math.floor(first));
      break;
  }
}

/** Narrows `bounds` by one `write_date` leaf. */
export function narrowText(bounds: TextBounds, operator: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const text = parseOdooDatetimeInput(value);
  if (text === undefined) return;
  const raiseLow = (candidate: string, inclusive: boolean) => {
    if (bounds.low === undefined || candidate > bounds.low || (candidate === bounds.low && !inclusive)) {
      bounds.low = candidate;
      bounds.lowInclusive = inclusive;
    }
  };
  const lowerHigh = (candidate: string, inclusive: boolean) => {
    if (bounds.high === undefined || candidate < bounds.high || (candidate === bounds.high && !inclusive)) {
      bounds.high = candidate;
      bounds.highInclusive = inclusive;
    }
  };
  if (operator === '>') raiseLow(text, false);
  else if (operator === '>=') raiseLow(text, true);
  else if (operator === '<') lowerHigh(text, false);
  else if (operator === '<=') lowerHigh(text, true);
  else if (operator === '=') {
    raiseLow(text, true);
    lowerHigh(text, true);
  }
}
