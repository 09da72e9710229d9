/**
 * The leases port in memory.
 * @module
 */
import type { Lease, LockStore } from '../ports.js';
import type { OpenGuard } from './shared.js';

/** {@link LockStore} in memory. */
export class MemoryLeases implements LockStore {
  readonly #open: OpenGuard;
  readonly #leases = new Map<string, Lease>();

  /** @param open Throws when the store is closed. */
  constructor(open: OpenGuard) {
    this.#open = open;
  }

  /** Everything held, for the inspector's dump. */
  dump(): Lease[] {
    return [...this.#leases.values()];
  }

  async acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    if (current && current.owner !== owner && Date.parse(current.expiresAt) > now.getTime()) return null;
    const lease = { name, owner, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    this.#leases.set(name, lease);
    return { ...lease };
  }

  async renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    if (!current || current.owner !== owner) return null;
    current.expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    return { ...current };
  }

  async releaseLease(name: string, owner: string): Promise<boolean> {
    this.#open();
    const current = this.#leases.get(name);
    if (!current || current.owner !== owner) return false;
    this.#leases.delete(name);
    return true;
  }

  async getLease(name: string, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    return current && Date.parse(current.expiresAt) > now.getTime() ? { ...current } : null;
  }

  async takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    if (!current || current.owner !== previousOwner) return null;
    const lease = { name, owner, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    this.#leases.set(name, lease);
    return { ...lease };
  }
}
