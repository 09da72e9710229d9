/**
 * SQL helpers every port file shares: bound-value types, time columns and AND-ed filters.
 * @module
 */

/** A value bound to a `?` placeholder. */
export type Param = string | number | null;

/** Milliseconds since the epoch of an ISO-8601 time, `null` when it does not parse (sorted and filtered like MemoryStore's `NaN`). */
export function epochMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** A bound time for a query: `NaN` becomes SQL NULL, which — like NaN in MemoryStore — matches nothing. */
export function boundMs(date: Date): number | null {
  const ms = date.getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** AND-ed SQL conditions with their bound values, built from optional query fields. */
export class Filter {
  readonly #clauses: string[] = [];
  readonly #params: Param[] = [];

  /** Adds a condition with the values of its `?` placeholders. */
  add(clause: string, ...params: Param[]): void {
    this.#clauses.push(clause);
    this.#params.push(...params);
  }

  /** Newest-first keyset condition on a `(time_ms, id)` pair: rows strictly older than the cursor. */
  olderThan(timeColumn: string, cursor: readonly [string, string]): void {
    const ms = epochMs(cursor[0]);
    this.add(`(${timeColumn} < ? OR (${timeColumn} = ? AND id < ?))`, ms, ms, cursor[1]);
  }

  /** `WHERE …` (or nothing when there is no condition). */
  get where(): string {
    return this.#clauses.length > 0 ? `WHERE ${this.#clauses.join(' AND ')}` : '';
  }

  /** Bound values, in placeholder order. */
  get params(): Param[] {
    return [...this.#params];
  }
}
