/**
 * How a synced entity turns its records into timeline activities (`EntitySpec.activities`):
 * the projection's signature and the lookups it may ask the host for, in batches.
 * @module
 */
import type { ActivityEvent } from './event.js';

/** An app user (someone who signs in to odoo-sync) as a projection names them. */
export interface ProjectedUser {
  /** The app user's id. */
  id: string;
  /** Their display name. */
  name: string;
}

/** What a projection may look up while it makes activities; every lookup takes a batch. */
export interface ActivityProjectionContext {
  /**
   * The app users linked to these Odoo users (`res.users` ids), by Odoo user id; ids no app
   * user is linked to are absent.
   */
  appUsers(odooUserIds: readonly number[]): Promise<ReadonlyMap<number, ProjectedUser>>;
  /**
   * Which synced entity holds each of these records of an Odoo model (`res.partner` 7 →
   * `account`, 9 → `contact`), by Odoo id; records no synced entity holds are absent.
   */
  entitiesOf(model: string, odooIds: readonly number[]): Promise<ReadonlyMap<number, string>>;
}

/**
 * Makes timeline activities from records an entity just inserted or updated. Each event MUST
 * carry a stable `id` (e.g. `odoo:mail.message:812`): the same record projected again replaces
 * its activity instead of adding one. `source` defaults to `odoo`.
 *
 * @example
 * ```ts
 * const activities: ActivityProjection<{ odooId: number; name: string }> = async (records) =>
 *   records.map((r) => ({ id: `odoo:x.model:${r.odooId}`, activityType: 'note', title: r.name }));
 * ```
 */
export type ActivityProjection<D> = (records: readonly D[], context: ActivityProjectionContext) => Promise<readonly ActivityEvent[]>;
