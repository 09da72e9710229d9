/**
 * Activity port: what people did, for the CRM timeline.
 * @module
 */
import type { Page } from '../model.js';
import type { JsonValue } from './json.js';

// ---------------------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------------------

/**
 * Where an activity comes from: `app` — done through odoo-sync (a CRM write, a 360 view, a
 * sign-in); `odoo` — done in Odoo itself (a scheduled call, a logged note).
 */
export type ActivitySource = 'app' | 'odoo';

/** Something a person did, recorded for the CRM timeline. */
export interface Activity {
  /** Unique id; ids made by `ActivityLogger` sort in time order. */
  id: string;
  /** Kind, e.g. `opportunity_created`, `account_viewed_360`, `call`. */
  activityType: string;
  /** One-line human description, e.g. `Created opportunity: Cloud Migration Project`. */
  title: string;
  /** Entity it concerns, e.g. `opportunity`, or `null`. */
  entityType: string | null;
  /** Id of that entity (as a string), or `null`. */
  entityId: string | null;
  /** Who did it, or `null` for the system. */
  userId: string | null;
  /** Their display name at the time. */
  userName: string | null;
  /** Where it happened: through odoo-sync (`app`) or in Odoo (`odoo`). */
  source: ActivitySource;
  /** JSON details (for updates: `before`/`after` of the changed fields). Never secrets. */
  metadata: { [key: string]: JsonValue };
  /** ISO-8601 time it happened. */
  timestamp: string;
}

/**
 * What one person may see of the timeline: their own activities (`userId`) and the activities
 * on records they may read (`entityTypes`), whoever did them — not other people's sign-ins,
 * links or keys.
 */
export interface ActivityVisibility {
  /** Their user id: activities they did are visible. */
  userId: string;
  /** Entity types whose activities are visible to them (e.g. `opportunity`, `account`); may be empty. */
  entityTypes: readonly string[];
}

/**
 * The filters of an activity query; every filter given must hold (AND). Results are newest
 * first (`timestamp` desc, then `id` desc).
 */
export interface ActivityFilter {
  /** Only this type, or any of these types (a non-empty list). */
  activityType?: string | readonly string[];
  /** Only this entity type. */
  entityType?: string;
  /** Only this entity id (usually with `entityType`). */
  entityId?: string;
  /** Only this user. */
  userId?: string;
  /** Only this source. */
  source?: ActivitySource;
  /**
   * Only titles containing this text, ignoring case (any script) and surrounding spaces;
   * 1–200 characters.
   */
  titleContains?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  /**
   * Only what this person may see: `userId` is theirs OR `entityType` is one of `entityTypes`
   * (ANDed with the other filters). Stores apply it in the query, so pages stay full and
   * cursors stable.
   */
  visibleTo?: ActivityVisibility;
}

/** A query of one page of activities. */
export interface ActivityQuery extends ActivityFilter {
  /**
   * Page size, 1–200.
   * @default 50
   */
  limit?: number;
  /**
   * `nextCursor` of the previous page. Pages are keyset-paged on (`timestamp`, `id`): an
   * activity appended while a client pages never makes an item repeat or go missing.
   */
  cursor?: string | null;
}

/** Holds activities. */
export interface ActivityStore {
  /** Appends activities; an id already stored is left as it is (idempotent). */
  appendActivities(activities: readonly Activity[]): Promise<void>;
  /**
   * A page of activities, newest first. Throws {@link @odoo-sync/core/errors!InputError | InputError}
   * for a malformed cursor, a limit outside 1–200, an invalid date, an empty type list or an
   * empty or too long `titleContains`.
   */
  queryActivities(query?: ActivityQuery): Promise<Page<Activity>>;
  /**
   * Every activity matching `filter`, newest first, read page by page so that memory stays
   * constant however many match (for CSV exports). Throws
   * {@link @odoo-sync/core/errors!InputError | InputError} as {@link ActivityStore.queryActivities} does,
   * when iteration starts.
   */
  streamActivities(filter?: ActivityFilter): AsyncIterable<Activity>;
  /** Deletes activities older than `before`; returns how many. */
  purgeActivities(before: Date): Promise<number>;
}

/**
 * The activity ports: the timeline of what people did. Checked by `runActivityContract` in
 * `@odoo-sync/core/testing`.
 */
export type ActivityPorts = ActivityStore;
