/**
 * Lease owner ids that name this host and process, and the probe that tells a lease left by a
 * killed process on this host from one held by a live process, so it is taken over at once.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { formatLeaseOwner, type LeaseOwnerIdentity, type LeaseOwnerProbe } from '@odoo-sync/core/store-kit';

/** A lease owner id for this process: `<uuid>@<host>#<pid>`. */
export function processLeaseOwner(): string {
  return formatLeaseOwner({ id: randomUUID(), host: hostname(), pid: process.pid });
}

/**
 * Whether a process with this pid exists on this machine: `process.kill(pid, 0)` sends no
 * signal, it only checks. `EPERM` means it exists (another user's).
 */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Says "gone" only for an owner on this host (same host name) whose process no longer exists.
 * Owners on other hosts are never judged here: their leases are taken over once they miss
 * their renewals. (Containers sharing a store must have distinct host names, as they do by
 * default.)
 */
export const localProcessProbe: LeaseOwnerProbe = (owner: LeaseOwnerIdentity) =>
  owner.host === hostname() && owner.pid !== process.pid && !processExists(owner.pid);
