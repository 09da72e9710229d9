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
  /** Rows by id. */
  readonly rows = new Map<number, StoredRow>();
  /** Ids in ascending order. */
  ids: number[] = [];
  /** The id the next created row gets. */
  nextId = 1;
  /** Bumped on every change; caches compare against it. */
  version = 0;
  /** Rows sorted by (write_date, id), rebuilt lazily after a change. */
  byWriteDate: StoredRow[] | undefined;
  byWriteDateVersion = -1;
  /** one2many inverse maps by field, valid for one {@link Table.version}. */
  readonly inverseCache = new Map<string, { version: number; map: Map<number, number[]> }>();

  /** @param def the model this table holds */
  constructor(readonly def: ModelDef) {}

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

/** The rows in (write_date, id) order, NULL write_date last; rebuilt after a change. */
export function writeDateIndex(table: Table): StoredRow[] {
  if (!table.byWriteDate || table.byWriteDateVersion !== table.version) {
    const rows = table.ids.map((id) => table.rows.get(id) as StoredRow);
    const sortable = rows.filter((row) => typeof row['write_date'] === 'string');
    sortable.sort((a, b) => {
      const wa = a['write_date'] as string;
      const wb = b['write_date'] as string;
      return wa < wb ? -1 : wa > wb ? 1 : a.id - b.id;
    });
    // NULL write_date sorts last in ascending order (PostgreSQL NULLS LAST).
    for (const row of rows) if (typeof row['write_date'] !== 'string') sortable.push(row);
    table.byWriteDate = sortable;
    table.byWriteDateVersion = table.version;
  }
  return table.byWriteDate;
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
    let start = 0;
    if (bounds.low !== undefined) {
      const bound = bounds.low;
      let lo = 0;
      let hi = index.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const wd = (index[mid] as StoredRow)['write_date'];
        const before = typeof wd !== 'string' || wd < bound || (!bounds.lowInclusive && wd === bound);
        if (before) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const out: StoredRow[] = [];
    for (let i = start; i < index.length && out.length < wanted; i++) {
      const row = index[i] as StoredRow;
      const wd = row['write_date'];
      if (bounds.high !== undefined && typeof wd === 'string' && (wd > bounds.high || (!bounds.highInclusive && wd === bounds.high))) break;
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
