/**
 * The mass-archive guard: the twin of the mass-deletion guard for records archived in Odoo.
 * Archiving a quarter of the accounts hides them from every default listing just as surely as
 * deleting them, and comes from the same kinds of accident (a mass action on the wrong
 * selection, a changed record rule). Pure: no I/O, no clock.
 * @module
 */
import type { RecordWrite, StoredState } from '../model.js';
import { laterCursor } from './plan.js';

/** Options of {@link ArchiveGuard}. */
export interface ArchiveGuardOptions {
  /** Records of the entity that were active before the run. */
  activeBefore: number;
  /**
   * Largest share (0–1) of `activeBefore` one run may archive.
   * @default 0.2
   */
  maxArchiveRatio?: number;
  /**
   * Archive even above `maxArchiveRatio`.
   * @default false
   */
  force?: boolean;
}

/**
 * Holds back the records a run archives (active in the store, archived in Odoo) until the run
 * has read every changed row, then lets them through all together — or, when they are more
 * than `maxArchiveRatio` of the active records, none of them. Held-back records are kept in
 * memory only up to the allowed number (past it the run is blocked anyway and only counts);
 * while some are held back, {@link ArchiveGuard.capCursor} keeps the cursor from passing them,
 * so a blocked run reads them again next time.
 *
 * @example
 * ```ts
 * const guard = new ArchiveGuard({ activeBefore: 100 });
 * const now = guard.admit(plan.archives, states); // archives of records that were archived already, or new ones
 * // … after the last page:
 * if (guard.blocked) throw new MassArchiveBlockedError(guard.reason, …);
 * await store.upsertRecords(entity, guard.held(), at);
 * ```
 */
export class ArchiveGuard {
  readonly #limit: number;
  readonly #activeBefore: number;
  readonly #maxArchiveRatio: number;
  readonly #force: boolean;
  #held: RecordWrite[] = [];
  #count = 0;
  #earliest: string | null | undefined;

  constructor(options: ArchiveGuardOptions) {
    const ratio = options.maxArchiveRatio ?? 0.2;
    if (!(ratio >= 0 && ratio <= 1)) throw new TypeError(`maxArchiveRatio must be a number from 0 to 1, received ${String(ratio)}.`);
    if (!Number.isInteger(options.activeBefore) || options.activeBefore < 0) {
      throw new TypeError(`activeBefore must be an integer >= 0, received ${String(options.activeBefore)}.`);
    }
    this.#activeBefore = options.activeBefore;
    this.#maxArchiveRatio = ratio;
    this.#force = options.force === true;
    this.#limit = Math.floor(ratio * options.activeBefore + 1e-9);
  }

  /**
   * Takes the archives one page planned and returns those to write now: archives of records
   * the store did not hold as active (inserted archived, or deleted before), and every archive
   * when forced. The others are held back.
   */
  admit<D>(archives: readonly RecordWrite<D>[], states: ReadonlyMap<number, StoredState>): RecordWrite<D>[] {
    if (this.#force) return [...archives];
    const now: RecordWrite<D>[] = [];
    for (const write of archives) {
      if (states.get(write.odooId)?.isActive !== true) {
        now.push(write);
        continue;
      }
      this.#count++;
      if (this.#held.length <= this.#limit) this.#held.push(write as RecordWrite);
      // The earliest write date held back: the cursor must not pass it. `null` when a row had none.
      if (this.#earliest === undefined || write.odooWriteDate === null) this.#earliest = write.odooWriteDate;
      else if (this.#earliest !== null && Date.parse(write.odooWriteDate) < Date.parse(this.#earliest)) this.#earliest = write.odooWriteDate;
    }
    return now;
  }

  /** Records held back so far. */
  get count(): number {
    return this.#count;
  }

  /** True when more records were archived than the allowed share (never when forced). */
  get blocked(): boolean {
    return this.#count > this.#limit;
  }

  /** Why it is blocked, in words. */
  get reason(): string {
    const share = this.#activeBefore === 0 ? 100 : (this.#count / this.#activeBefore) * 100;
    return (
      `${this.#count} of ${this.#activeBefore} active records (${share.toFixed(1)}%) are archived in Odoo, ` +
      `more than the ${(this.#maxArchiveRatio * 100).toFixed(0)}% allowed in one run; nothing was archived.`
    );
  }

  /** The held-back archives, to write once the run is known not to be blocked. */
  held(): RecordWrite[] {
    if (this.blocked) throw new TypeError('The archive guard is blocked: nothing may be archived.');
    return this.#held;
  }

  /**
   * The cursor the run may save: `cursor`, but not past the earliest record held back (and not
   * before `cursorBefore`, whose overlap window already covers it).
   */
  capCursor(cursorBefore: string | null, cursor: string | null): string | null {
    if (this.#earliest === undefined) return cursor;
    if (this.#earliest === null || cursor === null) return cursorBefore;
    const capped = Date.parse(this.#earliest) < Date.parse(cursor) ? this.#earliest : cursor;
    return laterCursor(cursorBefore, capped);
  }
}
