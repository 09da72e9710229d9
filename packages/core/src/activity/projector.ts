/**
 * The ActivityProjector: turns records of entities that define `activities` (Odoo's scheduled
 * activities and chatter messages) into timeline activities, and writes them by stable id, so
 * that a record synced again replaces its activity instead of adding one.
 * @module
 */
import { type Clock, systemClock } from '../clock.js';
import type { EntityDefinition } from '../entities/entity-definition.js';
import { summarizeError } from '../errors.js';
import { type Logger, silentLogger } from '../logger.js';
import type { Activity, ActivityStore, RecordStore, UserStore } from '../ports.js';
import type { RecordProjector } from '../sync/reconciler-options.js';
import { prepareActivity } from './event.js';
import type { ActivityProjectionContext, ProjectedUser } from './projection.js';
import { activityTypeSet } from './types.js';

/** Options of {@link ActivityProjector}. */
export interface ActivityProjectorOptions {
  /** Where the activities go. */
  activities: Pick<ActivityStore, 'upsertActivities'>;
  /** Where synced records are (to tell which entity holds a record a projection points at). */
  records: Pick<RecordStore, 'getStates'>;
  /** The app users (to name the one linked to an Odoo user). None: no activity names an app user. */
  users?: Pick<UserStore, 'listUsers'>;
  /** The synced entities (to tell which one holds a record of a model). */
  entities: readonly EntityDefinition[];
  /** Activity types of your own, beside the built-in ones. */
  extraTypes?: readonly string[];
  /** Time source (activities without a timestamp). @default systemClock */
  clock?: Clock;
  /** Structured logger. @default silentLogger */
  logger?: Logger;
}

/** Most activities per store write. */
const BATCH = 1000;

/**
 * Projects records into the activity store; give it to the Reconciler as its `projector`.
 * An event a projection makes that is not valid (unknown type, no stable id) is logged and
 * skipped; a store failure rejects, so the Reconciler retries the page.
 *
 * @example
 * ```ts
 * const projector = new ActivityProjector({ activities: store, records: store, users: store, entities });
 * const reconciler = new Reconciler({ source, store, entities, projector });
 * ```
 */
export class ActivityProjector implements RecordProjector {
  readonly #activities: Pick<ActivityStore, 'upsertActivities'>;
  readonly #records: Pick<RecordStore, 'getStates'>;
  readonly #users: Pick<UserStore, 'listUsers'> | undefined;
  readonly #entities: readonly EntityDefinition[];
  readonly #types: ReadonlySet<string>;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(options: ActivityProjectorOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('ActivityProjector needs an options object.');
    if (typeof options.activities?.upsertActivities !== 'function') throw new TypeError('ActivityProjector option activities must have upsertActivities.');
    if (typeof options.records?.getStates !== 'function') throw new TypeError('ActivityProjector option records must be a RecordStore.');
    if (!Array.isArray(options.entities)) throw new TypeError('ActivityProjector option entities must be a list of entity definitions.');
    this.#activities = options.activities;
    this.#records = options.records;
    this.#users = options.users;
    this.#entities = options.entities;
    this.#types = activityTypeSet(options.extraTypes);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Projects `records` of `spec` and stores the activities; resolves with how many were stored. */
  async project(spec: EntityDefinition, records: readonly { odooId: number }[]): Promise<number> {
    if (spec.activities === undefined || records.length === 0) return 0;
    const events = await spec.activities(records, this.#context());
    const activities: Activity[] = [];
    const now = this.#clock.now();
    for (const event of events) {
      try {
        if (typeof event.id !== 'string' || event.id === '') throw new TypeError('a projected activity needs a stable id');
        const { activity } = prepareActivity({ source: 'odoo', ...event }, { types: this.#types, now, newId: () => event.id as string });
        activities.push(activity);
      } catch (error) {
        this.#logger.warn({ entity: spec.name, id: typeof event.id === 'string' ? event.id.slice(0, 200) : undefined, err: summarizeError(error) }, 'projected activity skipped: not valid');
      }
    }
    for (let i = 0; i < activities.length; i += BATCH) await this.#activities.upsertActivities(activities.slice(i, i + BATCH));
    return activities.length;
  }

  /** Lookups for one projection call, each store read at most once per call. */
  #context(): ActivityProjectionContext {
    let linked: Promise<Map<number, ProjectedUser>> | undefined;
    return {
      appUsers: async (odooUserIds) => {
        linked ??= this.#linkedUsers();
        const all = await linked;
        const out = new Map<number, ProjectedUser>();
        for (const id of odooUserIds) {
          const user = all.get(id);
          if (user) out.set(id, user);
        }
        return out;
      },
      entitiesOf: async (model, odooIds) => {
        const out = new Map<number, string>();
        // A record that left an entity (a company partner made a person: no longer an account)
        // is kept there marked deleted; the entity holding it live wins, the other is a fallback.
        const formerly = new Map<number, string>();
        const wanted = [...new Set(odooIds.filter((id) => Number.isInteger(id) && id > 0))];
        for (const spec of this.#entities) {
          if (spec.model !== model) continue;
          const left = wanted.filter((id) => !out.has(id));
          if (left.length === 0) break;
          const states = await this.#records.getStates(spec.name, left);
          for (const [id, state] of states) {
            if (state.inactiveReason !== 'deleted') out.set(id, spec.name);
            else if (!formerly.has(id)) formerly.set(id, spec.name);
          }
        }
        for (const [id, name] of formerly) if (!out.has(id)) out.set(id, name);
        return out;
      },
    };
  }

  /** Every app user linked to an Odoo user, by Odoo user id. */
  async #linkedUsers(): Promise<Map<number, ProjectedUser>> {
    const out = new Map<number, ProjectedUser>();
    if (!this.#users) return out;
    let cursor: string | null = null;
    do {
      const page = await this.#users.listUsers({ limit: 1000, cursor });
      for (const user of page.items) {
        const odooUserId = user.odooLink?.odooUserId;
        if (typeof odooUserId === 'number' && !out.has(odooUserId)) out.set(odooUserId, { id: user.id, name: user.name });
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }
}
