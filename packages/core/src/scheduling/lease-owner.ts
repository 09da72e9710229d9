/**
 * Who holds a lease, and when a lease whose holder is provably gone may be taken over at once
 * instead of waiting for it to expire (a process killed mid-run leaves its leases behind).
 * @module
 */
import type { LeaseWatch } from './lease-watch.js';
import type { Lease, LockStore } from '../ports.js';
import type { RunInProgress } from './sync-health.js';

/** The parts of a lease owner id made by {@link formatLeaseOwner}. */
export interface LeaseOwnerIdentity {
  /** Host name of the process. */
  host: string;
  /** Process id on that host. */
  pid: number;
  /** Unique id of the scheduler or reconciler within the process. */
  id: string;
}

/**
 * Says whether the process named in a lease owner id is known to be dead. Answers `false` when
 * it cannot know (another host, an id without host and pid). The server's answer: same host
 * and `process.kill(pid, 0)` fails with `ESRCH`.
 */
export type LeaseOwnerProbe = (owner: LeaseOwnerIdentity) => boolean;

/**
 * A lease owner id carrying the host and the process id: `<id>@<host>#<pid>`.
 *
 * @example
 * ```ts
 * formatLeaseOwner({ host: 'web-1', pid: 4242, id: crypto.randomUUID() }); // 'c0ffee…@web-1#4242'
 * ```
 */
export function formatLeaseOwner(owner: LeaseOwnerIdentity): string {
  return `${owner.id}@${owner.host}#${owner.pid}`;
}

/** Reads an id made by {@link formatLeaseOwner}; `null` for any other owner id. */
export function parseLeaseOwner(owner: string): LeaseOwnerIdentity | null {
  const match = /^([^@]+)@(.+)#(\d{1,10})$/.exec(owner);
  if (!match) return null;
  const pid = Number(match[3]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { id: match[1]!, host: match[2]!, pid };
}

/** Why a held lease may be taken over now, or `null` when its holder may still be working. */
export type TakeOverReason = 'owner_dead' | 'heartbeat_missed';

/**
 * Whether the holder of `lease` is provably gone: a holder on this host whose process no longer
 * exists is `owner_dead` (the probe does the looking); a holder that has not renewed its lease
 * for two renewal periods, as measured on the taker's own clock by a {@link LeaseWatch}
 * (`missedRenewals`), is `heartbeat_missed`. Never compares the expiry the holder wrote with the
 * taker's clock, so clock skew between replicas cannot make a live holder look gone. Pure.
 */
export function takeOverReason(lease: Lease, probe: LeaseOwnerProbe | undefined, missedRenewals: boolean): TakeOverReason | null {
  const identity = parseLeaseOwner(lease.owner);
  if (identity && probe?.(identity)) return 'owner_dead';
  return missedRenewals ? 'heartbeat_missed' : null;
}

/**
 * Takes a lease: free, expired or ours as {@link LockStore.acquireLease} grants it, or, when its
 * holder is provably gone ({@link takeOverReason}, renewals watched by `watch` on our own
 * clock), by a compare-and-set on that holder ({@link LockStore.takeOverLease}). `null` when a
 * live holder has it.
 */
export async function acquireOrTakeOverLease(options: {
  locks: LockStore;
  name: string;
  owner: string;
  ttlMs: number;
  now: Date;
  probe: LeaseOwnerProbe | undefined;
  watch: LeaseWatch;
  onTakeOver?: (event: { name: string; previousOwner: string; reason: TakeOverReason }) => void;
}): Promise<Lease | null> {
  const { locks, name, owner, ttlMs, now, probe, watch } = options;
  const lease = await locks.acquireLease(name, owner, ttlMs, now);
  if (lease) {
    watch.forget(name);
    return lease;
  }
  const held = await locks.getLease(name, now);
  if (held === null) return locks.acquireLease(name, owner, ttlMs, now);
  const reason = takeOverReason(held, probe, watch.missedRenewals(name, held, ttlMs));
  if (reason === null) return null;
  const taken = await locks.takeOverLease(name, held.owner, owner, ttlMs, now);
  if (taken) {
    watch.forget(name);
    options.onTakeOver?.({ name, previousOwner: held.owner, reason });
  }
  return taken;
}

/**
 * The run to resume at start: one some process started and never finished, when nobody alive
 * holds the scheduler lease (`lease`: its current holder, or `null`). Not our own run. The
 * holder's renewals are judged by `watch` (at start it has seen nothing yet, so only a dead
 * holder on this host or an expired lease lets a run resume).
 */
export function runToResume(
  run: RunInProgress | null,
  lease: Lease | null,
  self: { owner: string; leaseTtlMs: number; probe: LeaseOwnerProbe | undefined; watch: LeaseWatch },
): RunInProgress | null {
  if (run === null || run.owner === self.owner) return null;
  if (lease === null) return run;
  const missed = self.watch.missedRenewals(lease.name, lease, self.leaseTtlMs);
  return lease.owner === run.owner && takeOverReason(lease, self.probe, missed) !== null ? run : null;
}
