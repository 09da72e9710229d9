/**
 * The activities port in memory.
 * @module
 */
import type { Page } from '../model.js';
import { decodeCursor, isPairCursor, pageLimit, pageOf } from '../paging.js';
import type { Activity, ActivityQuery, ActivityStore } from '../ports.js';
import { copy, isBefore, newestFirst, type OpenGuard } from './shared.js';

/** {@link ActivityStore} in memory. */
export class MemoryActivities implements ActivityStore {
  readonly #open: OpenGuard;
  readonly #activities = new Map<string, Activity>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** Everything held, for the inspector's dump. */
  dump(): Activity[] {
    return [...this.#activities.values()];
  }

  async appendActivities(activities: readonly Activity[]): Promise<void> {
    this.#open();
    for (const activity of activities) {
      if (!this.#activities.has(activity.id)) this.#activities.set(activity.id, copy(activity));
    }
  }

  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const from = query.from?.getTime();
    const to = query.to?.getTime();
    const matches = [...this.#activities.values()]
      .filter((a) => query.activityType === undefined || a.activityType === query.activityType)
      .filter((a) => query.entityType === undefined || a.entityType === query.entityType)
      .filter((a) => query.entityId === undefined || a.entityId === query.entityId)
      .filter((a) => query.userId === undefined || a.userId === query.userId)
      .filter((a) => from === undefined || Date.parse(a.timestamp) >= from)
      .filter((a) => to === undefined || Date.parse(a.timestamp) < to)
      .sort(newestFirst((a) => [a.timestamp, a.id]))
      .filter((a) => !after || isBefore([a.timestamp, a.id], after));
    return pageOf(matches, limit, copy, (item) => [item.timestamp, item.id]);
  }

  async purgeActivities(before: Date): Promise<number> {
    this.#open();
    let removed = 0;
    for (const [id, activity] of this.#activities) {
      if (Date.parse(activity.timestamp) < before.getTime()) {
        this.#activities.delete(id);
        removed++;
      }
    }
    return removed;
  }
}
