/**
 * Activity port: what users did, for the CRM timeline.
 * @module
 */
import type { Page } from '../model.js';
import type { JsonValue } from './json.js';

// ---------------------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------------------

/** Something a user did, recorded for the CRM timeline. */
export interface Activity {
  /** Unique id. */
  id: string;
  /** Kind, e.g. `opportunity.viewed`, `call.logged`. */
  activityType: string;
  /** One-line human description. */
  title: string;
  /** Entity it concerns, e.g. `opportunity`, or `null`. */
  entityType: string | null;
  /** Id of that entity (as a string), or `null`. */
  entityId: string | null;
  /** Who did it, or `null` for the system. */
  userId: string | null;
  /** Their display name at the time. */
  userName: string | null;
  /** Free JSON details. */
  metadata: { [key: string]: JsonValue };
  /** ISO-8601 time it happened. */
  timestamp: string;
}

/** A query of activities, newest first (`timestamp` desc, then `id` desc). */
export interface ActivityQuery {
  /** Only this type. */
  activityType?: string;
  /** Only this entity type. */
  entityType?: string;
  /** Only this entity id (with `entityType`). */
  entityId?: string;
  /** Only this user. */
  userId?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  /**
   * Page size, 1–1000.
   * @default 50
   */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

/** Holds activities. */
export interface ActivityStore {
  /** Appends activities; an id already stored is left as it is (idempotent). */
  appendActivities(activities: readonly Activity[]): Promise<void>;
  /**
   * A page of activities. Throws {@link @odoo-sync/core/errors!InputError | InputError} for a malformed
   * cursor.
   */
  queryActivities(query?: ActivityQuery): Promise<Page<Activity>>;
  /** Deletes activities older than `before`; returns how many. */
  purgeActivities(before: Date): Promise<number>;
}


/**
 * The activity ports: the timeline of what users did. Checked by `runActivityContract` in
 * `@odoo-sync/core/testing`.
 */
export type ActivityPorts = ActivityStore;
