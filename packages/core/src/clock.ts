/**
 * Time as a collaborator: classes take a {@link Clock} so tests control time without sleeping.
 * @module
 */

/** A timer handle returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  /** Opaque. */
  readonly __timer?: never;
}

/** The current time and timers. */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
  /**
   * Milliseconds from an arbitrary origin that never jump (not moved by clock corrections), for
   * measuring elapsed time. Optional: without it, elapsed time falls back to {@link Clock.now}.
   */
  monotonic?(): number;
}

/** Elapsed-time reading of `clock`: {@link Clock.monotonic} when it has one, else `now()`. */
export function monotonicMs(clock: Clock): number {
  return clock.monotonic ? clock.monotonic() : clock.now().getTime();
}

/** The real clock: `Date` and Node timers (unref'd, so a pending timer never keeps a process alive). */
export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return timer as unknown as TimerHandle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as unknown as ReturnType<typeof setTimeout>);
  },
};

/**
 * A clock that only moves when told to: `advance(ms)` fires due timers in order.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
 * scheduler = new SyncScheduler({ clock, ... });
 * await clock.advance(15 * 60_000); // the tick fires
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers = new Map<number, { at: number; seq: number; fn: () => void }>();

  constructor(start: Date | string | number = '2026-01-01T00:00:00.000Z') {
    this.#now = new Date(start).getTime();
    if (Number.isNaN(this.#now)) throw new TypeError('ManualClock needs a valid start time.');
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** The manual time in milliseconds: elapsed time is what {@link ManualClock.advance} moved. */
  monotonic(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), seq: id, fn });
    return { id } as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as unknown as { id?: number }).id;
    if (id !== undefined) this.#timers.delete(id);
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in time order.
   * Between timers it lets pending promises settle, so async work started by a timer can
   * schedule the next one before time moves on.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      let next: { id: number; at: number; seq: number; fn: () => void } | undefined;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= target && (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))) {
          next = { id, ...timer };
        }
      }
      if (!next) break;
      this.#timers.delete(next.id);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = target;
    await settle();
  }

  /** Sets the time without firing timers (use {@link ManualClock.advance} to fire them). */
  set(time: Date | string | number): void {
    this.#now = new Date(time).getTime();
  }
}

/** Lets queued promise callbacks and immediates run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
