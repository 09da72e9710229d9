/**
 * Events are named `<noun>:<past-tense verb>` (`run:started`, `entity:finished`,
 * `schedule:paused`). An event that was renamed is emitted under its former name too, for one
 * minor version, so listeners written for the old name keep working meanwhile. Internal: not
 * exported from the package.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { ReconcilerEvents } from './sync/reconciler-options.js';
import type { SyncSchedulerEvents } from './scheduling/scheduler-types.js';

/**
 * An EventEmitter that, after emitting a renamed event, emits it again under its former name
 * (with the same arguments).
 */
export class RenamedEventEmitter<Events extends EventEmitter.ValidEventTypes> extends EventEmitter<Events> {
  readonly #formerNames: Readonly<Record<string, string>>;

  /** @param formerNames the former name of each renamed event, by its current name */
  constructor(formerNames: Readonly<Record<string, string>>) {
    super();
    this.#formerNames = formerNames;
  }

  /** Emits `event`, then its former name if it was renamed; whether anyone listened to either. */
  override emit<T extends EventEmitter.EventNames<Events>>(event: T, ...args: EventEmitter.EventArgs<Events, T>): boolean {
    const heard = super.emit(event, ...args);
    const former = typeof event === 'string' ? this.#formerNames[event] : undefined;
    if (former === undefined) return heard;
    return super.emit(former as T, ...args) || heard;
  }
}

/** The former name of each renamed {@link ReconcilerEvents} event, by its current name. */
export const FORMER_RECONCILER_EVENTS: Readonly<Record<string, keyof ReconcilerEvents>> = {
  'run:started': 'run:start',
  'entity:finished': 'entity:done',
  'run:finished': 'run:finish',
  'entity:failed': 'run:error',
};

/** The former name of each renamed {@link SyncSchedulerEvents} event, by its current name. */
export const FORMER_SCHEDULER_EVENTS: Readonly<Record<string, keyof SyncSchedulerEvents>> = {
  'alert:sent': 'alert',
  'schedule:paused': 'paused',
  'schedule:resumed': 'resumed',
  'sync:recovered': 'recovered',
  'notification:failed': 'notify:failed',
};
