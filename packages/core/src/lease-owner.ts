/**
 * Who holds a lease, and when a lease whose holder is provably gone may be taken over at once
 * instead of waiting for it to expire (a process killed mid-run leaves its leases behind).
 * @module
 */
import type { Lease, LockStore } from './ports.js';
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
 * Whether the holder of `lease` is provably gone. A live holder renews its lease every third of
 * its time-to-live, so a lease with less than a third of `ttlMs` left has missed two renewals
 * (`heartbeat_missed`); a holder on this host whose process no longer exists is `owner_dead`.
 * Pure: the probe does the looking.
 */
export function takeOverReason(lease: Lease, now: Date, ttlMs: number, probe: LeaseOwnerProbe | undefined): TakeOverReason | null {
  const identity = parseLeaseOwner(lease.owner);
  if (identity && probe?.(identity)) return 'owner_dead';
  if (Date.parse(lease.expiresAt) - now.getTime() < ttlMs / 3) return 'heartbeat_missed';
  return null;
}

/**
 * Takes a lease: free, expired or ours as {@link LockStore.acquireLease} grants it, or, when its
 * holder is provably gone ({@link takeOverReason}), by a compare-and-set on that holder
 * ({@link LockStore.takeOverLease}). `null` when a live holder has it.
 */
export async function acquireOrTakeOverLease(options: {
  locks: LockStore;
  name: string;
  owner: string;
  ttlMs: number;
  now: Date;
  probe: LeaseOwnerProbe | undefined;
  onTakeOver?: (event: { name: string; previousOwner: string; reason: TakeOverReason }) => void;
}): Promise<Lease | null> {
  const { locks, name, owner, ttlMs, now, probe } = options;
  const lease = await locks.acquireLease(name, owner, ttlMs, now);
  if (lease) return lease;
  const held = await locks.getLease(name, now);
  if (held === null) return locks.acquireLease(name, owner, ttlMs, now);
  const reason = takeOverReason(held, now, ttlMs, probe);
  if (reason === null) return null;
  const taken = await locks.takeOverLease(name, held.owner, owner, ttlMs, now);
  if (taken) options.onTakeOver?.({ name, previousOwner: held.owner, reason });
  return taken;
}

/**
 * The run to resume at start: one some process started and never finished, when nobody alive
 * holds the scheduler lease (`lease`: its current holder, or `null`). Not our own run.
 */
export function runToResume(
  run: RunInProgress | null,
  lease: Lease | null,
  self: { owner: string; leaseTtlMs: number; probe: LeaseOwnerProbe | undefined; now: Date },
): RunInProgress | null {
  if (run === null || run.owner === self.owner) return null;
  if (lease === null) return run;
  return lease.owner === run.owner && takeOverReason(lease, self.now, self.leaseTtlMs, self.probe) !== null ? run : null;
}
