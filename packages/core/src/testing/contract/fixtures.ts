/**
 * Shared fixtures of the contract suites: a fixed epoch, realistic records, log entries,
 * activities and API keys, and small helpers.
 * @module
 */
import { expect } from 'vitest';
import type { Contact } from '../../entities/entities.js';
import { stableHash } from '../../sync/hash.js';
import type { RecordWrite, SyncLogEntry } from '../../model.js';
import { emptyCounts } from '../../model.js';
import type { Activity, ApiKey } from '../../ports.js';

/** The suites' epoch. */
export const T0 = Date.parse('2026-03-01T08:00:00.000Z');
/** A fixed instant `minutes` after the suite's epoch. */
export const at = (minutes = 0): Date => new Date(T0 + minutes * 60_000);

/** A realistic contact record write for the contract cases. */
export function contactWrite(odooId: number, overrides: Partial<Contact> = {}, active = true): RecordWrite<Contact> {
  const data: Contact = {
    odooId,
    name: `Contact ${odooId} Müller`,
    email: `contact${odooId}@example.com`,
    phone: null,
    function: 'Buyer',
    city: 'Zürich',
    parentId: { id: 1000 + (odooId % 7), name: `Company ${odooId % 7}` },
    commercialPartnerId: { id: 1000 + (odooId % 7), name: `Company ${odooId % 7}` },
    ...overrides,
  };
  return {
    odooId,
    data,
    hash: stableHash(data),
    isActive: active,
    inactiveReason: active ? null : 'archived',
    odooWriteDate: new Date(T0 - odooId * 1000).toISOString(),
  };
}

/** A successful sync-log entry for the contract cases. */
export function logEntry(overrides: Partial<SyncLogEntry> & Pick<SyncLogEntry, 'id'>): SyncLogEntry {
  return {
    runId: 'run-1',
    entity: 'contact',
    trigger: 'schedule',
    mode: 'incremental',
    startedAt: at(0).toISOString(),
    finishedAt: at(1).toISOString(),
    status: 'success',
    counts: { ...emptyCounts(), fetched: 3, inserted: 3 },
    error: null,
    skipReason: null,
    cursorBefore: null,
    cursorAfter: at(0).toISOString(),
    invalidRecords: [],
    ...overrides,
  };
}

/** An activity `minutes` after the epoch for the contract cases. */
export function activity(id: string, minutes: number, overrides: Partial<Activity> = {}): Activity {
  return {
    id,
    activityType: 'opportunity_updated',
    title: `Updated opportunity ${id}`,
    entityType: 'opportunity',
    entityId: '42',
    userId: 'u1',
    userName: 'Ana Souza',
    source: 'app',
    metadata: { source: 'contract', nested: { ok: true } },
    timestamp: at(minutes).toISOString(),
    ...overrides,
  };
}

/** An unrevoked API key record for the contract cases. */
export function apiKey(id: string, userId: string, keyHash: string, minutes = 0): ApiKey {
  return { id, userId, keyHash, label: `key ${id}`, createdAt: at(minutes).toISOString(), lastUsedAt: null, revokedAt: null };
}

/** Expects `promise` to reject with an error of this `code`. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/** Follows `nextCursor` from the first page to the last and returns every page. */
export async function collectPages<T>(fetch: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await fetch(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}
