/**
 * Compact sets of Odoo ids for the deletion sweep. A full sweep holds every id of an entity at
 * once (a million partners is a million ids); a `Set<number>` costs about 30–40 bytes per id,
 * a sorted typed array 4 (ids below 2³¹) or 8. Lookups are a binary search.
 * @module
 */

/** What the deletion plan needs of the source's ids: membership. `Set<number>` has it too. */
export interface IdLookup {
  /** True when `id` is in the set. */
  has(id: number): boolean;
}

const INT32_MAX = 0x7fffffff;

/**
 * An immutable set of numbers held in one sorted typed array, ascending and without duplicates.
 * Build it with {@link SortedIds.from} or an {@link IdCollector}.
 *
 * @example
 * ```ts
 * const ids = SortedIds.from([3, 1, 3, 2]);
 * ids.size; // 3
 * ids.has(2); // true
 * [...ids]; // [1, 2, 3]
 * ```
 */
export class SortedIds implements IdLookup, Iterable<number> {
  readonly #ids: Int32Array | Float64Array;

  private constructor(ids: Int32Array | Float64Array) {
    this.#ids = ids;
  }

  /** The distinct numbers of `ids`. */
  static from(ids: Iterable<number>): SortedIds {
    const collector = new IdCollector();
    for (const id of ids) collector.add(id);
    return collector.finish();
  }

  /** @internal Takes ownership of `ids`, which must already be sorted and distinct. */
  static ofSorted(ids: Int32Array | Float64Array): SortedIds {
    return new SortedIds(ids);
  }

  /** How many distinct ids. */
  get size(): number {
    return this.#ids.length;
  }

  /** Bytes held by the ids (4 or 8 per id). */
  get byteLength(): number {
    return this.#ids.byteLength;
  }

  /** True when `id` is in the set. */
  has(id: number): boolean {
    const ids = this.#ids;
    let low = 0;
    let high = ids.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = ids[middle]!;
      if (value < id) low = middle + 1;
      else if (value > id) high = middle - 1;
      // Neither smaller nor larger: equal, or `id` is NaN (never in the set).
      else return value === id;
    }
    return false;
  }

  /** The ids, ascending. */
  *[Symbol.iterator](): Iterator<number> {
    for (const id of this.#ids) yield id;
  }
}

/**
 * Collects ids in any order (duplicates allowed) into a growing typed array, then sorts them
 * once into a {@link SortedIds}. Holds 32-bit integers while every id is one, and switches to
 * 64-bit floats for the first id that is not (a larger id, a fraction), so any number is kept
 * exactly.
 */
export class IdCollector {
  #ids: Int32Array | Float64Array = new Int32Array(1024);
  #length = 0;
  #finished = false;

  /** Adds one id. `NaN` is no id and is ignored (it would break the order a lookup relies on). */
  add(id: number): void {
    if (this.#finished) throw new Error('IdCollector.add after finish');
    if (Number.isNaN(id)) return;
    let ids = this.#ids;
    if (ids instanceof Int32Array && !(Number.isInteger(id) && id >= -INT32_MAX - 1 && id <= INT32_MAX)) {
      ids = Float64Array.from(ids);
      this.#ids = ids;
    }
    if (this.#length === ids.length) {
      const grown = new (ids.constructor as Int32ArrayConstructor | Float64ArrayConstructor)(ids.length * 2);
      grown.set(ids);
      ids = grown;
      this.#ids = ids;
    }
    ids[this.#length++] = id;
  }

  /** Adds every id of `ids`. */
  addAll(ids: Iterable<number>): void {
    for (const id of ids) this.add(id);
  }

  /** How many ids were added (duplicates counted, `NaN` not). */
  get added(): number {
    return this.#length;
  }

  /** Sorts, drops duplicates and hands the ids over; the collector cannot be used after. */
  finish(): SortedIds {
    this.#finished = true;
    const ids = this.#ids.subarray(0, this.#length).sort();
    let distinct = 0;
    for (let i = 0; i < ids.length; i++) {
      if (distinct === 0 || ids[distinct - 1] !== ids[i]) ids[distinct++] = ids[i]!;
    }
    // A copy of the exact length, so the spare capacity is freed with the collector.
    const exact = ids.slice(0, distinct);
    this.#ids = new Int32Array(0);
    this.#length = 0;
    return SortedIds.ofSorted(exact);
  }
}
