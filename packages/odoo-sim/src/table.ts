/**
 * One model's rows in the simulated database, kept in id order, and the scans a search uses:
 * keyset by id, the (write_date, id) index for incremental reads, or a full match-and-sort.
 * @module
 */
import type { IdBounds, RowTest, TextBounds } from './domain.js';
import type { CompiledOrder, OrderTerm, SortKey } from './order.js';
import type { ModelDef, StoredRow } from './schema.js';

/** The rows of one model and the caches derived from them. */
export class Table {
  /** Rows by id. Change them through {@link Table.put} and {@link Table.remove} only. */
  readonly rows = new Map<number, StoredRow>();
  /** Ids in ascending order. */
  ids: number[] = [];
  /** The id the next created row gets. */
  nextId = 1;
  /** Bumped on every change; caches compare against it. */
  version = 0;
  /**
   * Rows sorted by (write_date, id), NULL write_date last; `undefined` until first used. Kept
   * up to date by {@link writeDateIndex} from {@link Table.staleIds}, not rebuilt on every change.
   */
  byWriteDate: StoredRow[] | undefined;
  /**
   * Ids put or removed since {@link Table.byWriteDate} was last brought up to date, each with the
   * row the index holds for it (`undefined` for a row created since), so that it can be found
   * by a binary search rather than a pass over the whole index.
   */
  readonly staleIds = new Map<number, StoredRow | undefined>();
  /** one2many inverse maps by field, valid for one {@link Table.version}. */
  readonly inverseCache = new Map<string, { version: number; map: Map<number, number[]> }>();

  /** @param def the model this table holds */
  constructor(readonly def: ModelDef) {}

  /** Stores a row (new or replacing the one with its id). Call {@link Table.touch} after a batch. */
  put(row: StoredRow): void {
    if (this.byWriteDate && !this.staleIds.has(row.id)) this.staleIds.set(row.id, this.rows.get(row.id));
    this.rows.set(row.id, row);
  }

  /** Removes a row. Call {@link Table.touch} after a batch. */
  remove(id: number): void {
    if (this.byWriteDate && !this.staleIds.has(id)) this.staleIds.set(id, this.rows.get(id));
    this.rows.delete(id);
  }

  /** Marks a change: derived caches are rebuilt on next use. */
  touch(): void {
    this.version++;
  }
}

/** Smallest index whose id is >= `id`. */
export function lowerBound(ids: readonly number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as number) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** (write_date, id) order, NULL write_date last (PostgreSQL's NULLS LAST in ascending order). */
function byWriteDateThenId(a: StoredRow, b: StoredRow): number {
  const wa = a['write_date'];
  const wb = b['write_date'];
  const na = typeof wa !== 'string';
  const nb = typeof wb !== 'string';
  if (na || nb) return na && nb ? a.id - b.id : na ? 1 : -1;
  return wa < wb ? -1 : wa > wb ? 1 : a.id - b.id;
}

/**
 * The rows in (write_date, id) order, NULL write_date last. Built once by sorting every row;
 * after changes only the rows put or removed since are taken out and merged back in (a write
 * of 1 % of the rows costs one pass, not a sort of the whole table).
 */
export function writeDateIndex(table: Table): StoredRow[] {
  const index = table.byWriteDate;
  const stale = table.staleIds;
  if (index && stale.size === 0) return index;
  if (!index || stale.size * 4 > index.length) {
    const rows = table.ids.map((id) => table.rows.get(id) as StoredRow);
    rows.sort(byWriteDateThenId);
    table.byWriteDate = rows;
    stale.clear();
    return rows;
  }
  const fresh: StoredRow[] = [];
  for (const id of stale.keys()) {
    const row = table.rows.get(id);
    if (row) fresh.push(row);
  }
  fresh.sort(byWriteDateThenId);
  const kept = withoutStale(index, stale);
  // Written rows usually carry the newest write_date: everything before the first of them is
  // copied as is, and only the tail is merged.
  const first = fresh[0];
  let split = kept.length;
  if (first) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byWriteDateThenId(kept[mid] as StoredRow, first) < 0) lo = mid + 1;
      else hi = mid;
    }
    split = lo;
  }
  const merged = kept.slice(0, split);
  let f = 0;
  for (let k = split; k < kept.length; k++) {
    const row = kept[k] as StoredRow;
    while (f < fresh.length && byWriteDateThenId(fresh[f] as StoredRow, row) < 0) merged.push(fresh[f++] as StoredRow);
    merged.push(row);
  }
  while (f < fresh.length) merged.push(fresh[f++] as StoredRow);
  table.byWriteDate = merged;
  stale.clear();
  return merged;
}

/**
 * The index without the rows it holds for `stale` ids: each found by a binary search (as a
 * database finds an index entry to delete), the rest copied in slices. A row not where it
 * should be (never expected) falls back to a pass over the whole index.
 */
function withoutStale(index: StoredRow[], stale: ReadonlyMap<number, StoredRow | undefined>): StoredRow[] {
  const positions: number[] = [];
  for (const old of stale.values()) {
    if (old === undefined) continue;
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byWriteDateThenId(index[mid] as StoredRow, old) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (index[lo] !== old) return index.filter((row) => !stale.has(row.id));
    positions.push(lo);
  }
  if (positions.length === 0) return index;
  positions.sort((a, b) => a - b);
  const kept: StoredRow[] = [];
  let from = 0;
  for (const position of positions) {
    for (let i = from; i < position; i++) kept.push(index[i] as StoredRow);
    from = position + 1;
  }
  for (let i = from; i < index.length; i++) kept.push(index[i] as StoredRow);
  return kept;
}

/** The first position in the (write_date, id) index at or after the lower `write_date` bound. */
function writeDateStart(index: readonly StoredRow[], bounds: TextBounds): number {
  const bound = bounds.low;
  if (bound === undefined) return 0;
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const wd = (index[mid] as StoredRow)['write_date'];
    // NULL write_dates sort last and never pass a bound: they count as "not before" so that the
    // search stays monotonic (the domain's own test rejects them).
    const before = typeof wd === 'string' && (wd < bound || (!bounds.lowInclusive && wd === bound));
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when a row of the index is past the upper `write_date` bound (so are all after it). */
function afterHigh(row: StoredRow, bounds: TextBounds): boolean {
  const wd = row['write_date'];
  return bounds.high !== undefined && typeof wd === 'string' && (wd > bounds.high || (!bounds.highInclusive && wd === bounds.high));
}

/** What a search asks of a table (the domain compiled, the order parsed). */
export interface ScanPlan {
  /** Whether a row matches (archived rows already filtered when they must be). */
  test: RowTest;
  /** Id bounds implied by the domain. */
  idBounds: IdBounds;
  /** `write_date` bounds implied by the domain. */
  writeDateBounds: TextBounds;
  /** The order terms. */
  terms: readonly OrderTerm[];
  /** The compiled order. */
  order: CompiledOrder;
  /** Rows to skip. */
  offset: number;
  /** Most rows to return (`Infinity` for all). */
  limit: number;
}

/** The matching rows, ordered and paged, by the cheapest scan the order allows. */
export function scan(table: Table, plan: ScanPlan): StoredRow[] {
  const { test, terms, order, offset, limit } = plan;
  const wanted = offset + limit;
  const { low, high } = plan.idBounds;
  const [first, second] = terms;
  if (terms.length === 1 && first?.field === 'id') {
    // Keyset paging by id: start at the bound, stop once the page is full.
    const out: StoredRow[] = [];
    const ids = table.ids;
    if (!first.desc) {
      for (let i = lowerBound(ids, low); i < ids.length && out.length < wanted; i++) {
        const id = ids[i] as number;
        if (id > high) break;
        const row = table.rows.get(id) as StoredRow;
        if (test(row)) out.push(row);
      }
    } else {
      for (let i = lowerBound(ids, high + 1) - 1; i >= 0 && out.length < wanted; i--) {
        const id = ids[i] as number;
        if (id < low) break;
        const row = table.rows.get(id) as StoredRow;
        if (test(row)) out.push(row);
      }
    }
    return out.slice(offset);
  }

  if (
    first?.field === 'write_date' &&
    !first.desc &&
    !first.nullsFirst &&
    (terms.length === 1 || (terms.length === 2 && second?.field === 'id' && !second.desc))
  ) {
    // Incremental reads: (write_date, id) order from an index, starting at the lower bound.
    const index = writeDateIndex(table);
    const bounds = plan.writeDateBounds;
    const out: StoredRow[] = [];
    for (let i = writeDateStart(index, bounds); i < index.length && out.length < wanted; i++) {
      const row = index[i] as StoredRow;
      if (afterHigh(row, bounds)) break;
      if (row.id >= low && row.id <= high && test(row)) out.push(row);
    }
    return out.slice(offset);
  }

  const matches: { row: StoredRow; key: SortKey[] }[] = [];
  const ids = table.ids;
  for (let i = lowerBound(ids, low); i < ids.length; i++) {
    const id = ids[i] as number;
    if (id > high) break;
    const row = table.rows.get(id) as StoredRow;
    if (test(row)) matches.push({ row, key: order.key(row) });
  }
  matches.sort((a, b) => order.compare(a.key, b.key));
  return matches.slice(offset, offset + limit).map((match) => match.row);
}

/**
 * How many rows pass `test`, up to `max`. Order does not matter here, so the cheapest walk is
 * taken: from the `write_date` lower bound in the (write_date, id) index (an incremental
 * window), from the id bounds, or every row as stored.
 */
export function countRows(table: Table, test: RowTest, idBounds: IdBounds, writeDateBounds: TextBounds, max: number): number {
  const { low, high } = idBounds;
  let count = 0;
  if (writeDateBounds.low !== undefined) {
    const index = writeDateIndex(table);
    for (let i = writeDateStart(index, writeDateBounds); i < index.length && count < max; i++) {
      const row = index[i] as StoredRow;
      if (afterHigh(row, writeDateBounds)) break;
      if (row.id >= low && row.id <= high && test(row)) count++;
    }
    return count;
  }
  if (low <= 1 && high >= Number.MAX_SAFE_INTEGER) {
    for (const row of table.rows.values()) {
      if (count >= max) break;
      if (test(row)) count++;
    }
    return count;
  }
  const ids = table.ids;
  for (let i = lowerBound(ids, low); i < ids.length && count < max; i++) {
    const id = ids[i] as number;
    if (id > high) break;
    if (test(table.rows.get(id) as StoredRow)) count++;
  }
  return count;
}
