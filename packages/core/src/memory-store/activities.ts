/**
 * The activities port in memory.
 * @module
 */
import { activityMatches, checkActivityQuery, type CheckedActivityQuery, pageThroughActivities } from '../activity/query.js';
import type { Page } from '../model.js';
import { pageOf } from '../paging.js';
import type { Activity, ActivityFilter, ActivityQuery, ActivityStore } from '../ports.js';
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

  async upsertActivities(activities: readonly Activity[]): Promise<void> {
    this.#open();
    for (const activity of activities) this.#activities.set(activity.id, copy(activity));
  }

  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    this.#open();
    return this.#page(checkActivityQuery(query));
  }

  streamActivities(filter: ActivityFilter = {}): AsyncIterable<Activity> {
    return pageThroughActivities(filter, async (query) => {
      this.#open();
      return this.#page(query);
    });
  }

  #page(query: CheckedActivityQuery): Page<Activity> {
    const after = query.after;
    const matches = [...this.#activities.values()]
      .filter((a) => activityMatches(a, query))
      .sort(newestFirst((a) => [a.timestamp, a.id]))
      .filter((a) => !after || isBefore([a.timestamp, a.id], after));
    return pageOf(matches, query.limit, copy, (item) => [item.timestamp, item.id]);
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
