/**
 * The activity middleware: once a route's handler has succeeded, writes the activities it
 * noted (`noteActivity`) through the app's `ActivityLogger`, as the route declared
 * (`RouteSpec.activity`): `durable` ones before the answer is sent, `queued` ones through the
 * logger's bounded queue. Logging never fails the request: a failure is counted in `/metrics`
 * and logged, without the activity's metadata.
 * @module
 */
import type { ActivityEvent, ActivityLogger } from '@odoo-sync/core/activity';
import { summarizeError } from '@odoo-sync/core/errors';
import type { ServerLogger } from '../runtime/logger.js';
import type { ServerMetrics } from '../runtime/metrics.js';
import type { AnyRoute, RouteActivity } from './route.js';
import type { RequestState } from './state.js';

/** A route noted an activity type it did not declare in `RouteSpec.activity`: a programming error. */
export class UndeclaredActivityError extends Error {
  override readonly name = 'UndeclaredActivityError';
}

/** What {@link writeNotedActivities} needs. */
export interface ActivityWriteDeps {
  /** Where activities go. */
  activities: ActivityLogger;
  /** Counts activities that could not be checked (`invalid`). */
  metrics: Pick<ServerMetrics, 'recordActivitiesDropped'>;
  /** Where failures are logged (never with metadata). */
  logger: ServerLogger;
}

/**
 * The types of `noted` the declaration `declared` does not allow, in order of first noting;
 * empty when every one is declared. Pure.
 */
export function undeclaredTypes(declared: RouteActivity | undefined, noted: readonly ActivityEvent[]): string[] {
  const allowed = declared !== undefined && 'types' in declared ? new Set<string>(declared.types) : new Set<string>();
  return [...new Set(noted.map((event) => event.activityType).filter((type) => !allowed.has(type)))];
}

/** Whether an answer counts as success for the activity log (2xx, or a 3xx redirect such as the sign-in callback's). */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 400;
}

/**
 * Writes the activities a route's handler noted on `state`, once it has succeeded. Throws
 * {@link UndeclaredActivityError} when the route noted a type it does not declare (a test
 * catches this); otherwise never throws: a store failure or an invalid event is counted
 * (`odoo_sync_activities_dropped_total{reason}`) and logged, and the request goes on.
 */
export async function writeNotedActivities(route: AnyRoute, state: RequestState, deps: ActivityWriteDeps): Promise<void> {
  const noted = state.activities ?? [];
  state.activities = [];
  if (noted.length === 0) return;
  const undeclared = undeclaredTypes(route.activity, noted);
  if (undeclared.length > 0) {
    throw new UndeclaredActivityError(
      `${route.method} ${route.path} noted activity type${undeclared.length > 1 ? 's' : ''} ${undeclared.join(', ')} it does not declare in its activity.types.`,
    );
  }
  const declared = route.activity;
  const mode = declared !== undefined && 'mode' in declared ? declared.mode : 'durable';
  if (mode === 'queued') {
    // enqueue never throws; it counts and logs what it drops (the metrics listen to its events).
    for (const event of noted) deps.activities.enqueue(event);
    return;
  }
  const results = await Promise.allSettled(noted.map((event) => deps.activities.record(event)));
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    const err = summarizeError(result.reason);
    const activityType = noted[i]?.activityType;
    // A store failure was counted by the logger (`store_failed`); a refused event was not.
    if (err.code === 'input_invalid') deps.metrics.recordActivitiesDropped('invalid', 1);
    deps.logger.error({ err, route: route.path, requestId: state.requestId, activityType }, 'activity not recorded; the request goes on');
  });
}
