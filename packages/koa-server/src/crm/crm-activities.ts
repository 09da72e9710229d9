/**
 * The activities of CRM actions (opportunities, accounts, contacts created, updated, won, lost;
 * an account's 360 view): how each one is described. Pure functions, no I/O.
 * @module
 */
import { type ActivityEvent, changedFields } from '@odoo-sync/core/activity';
import type { JsonValue } from '@odoo-sync/core';
import type { Actor } from '../http/activity-events.js';

/** The CRM entities the write routes change. */
export type CrmEntity = 'opportunity' | 'account' | 'contact';

/** A record as an activity sees it: its Odoo id and its normalised data (or `null` when unknown). */
export interface CrmSnapshot {
  /** Odoo id. */
  odooId: number;
  /** The record's data as the API answers it, or `null` when the store could not be read. */
  data: { [key: string]: JsonValue } | null;
}

function nameOf(snapshot: CrmSnapshot, fallback?: string): string {
  const name = snapshot.data?.['name'];
  if (typeof name === 'string' && name.trim() !== '') return name;
  return fallback ?? `#${snapshot.odooId}`;
}

/** A many2one's display name (`{ id, name }`), or `null`. */
function m2oName(value: JsonValue | undefined): string | null {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value['name'] === 'string') return value['name'];
  return null;
}

function m2oId(value: JsonValue | undefined): number | null {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value['id'] === 'number') return value['id'];
  return null;
}

/** `<entity>_created`, e.g. "Created opportunity: Cloud Migration Project"; metadata: the fields given. */
export function crmCreated(entity: CrmEntity, actor: Actor, record: CrmSnapshot, given: { [key: string]: JsonValue }, name?: string): ActivityEvent {
  return {
    activityType: `${entity}_created`,
    title: `Created ${entity}: ${nameOf(record, name)}`,
    entityType: entity,
    entityId: record.odooId,
    ...actor,
    metadata: { fields: given },
  };
}

/**
 * What a PATCH records: `<entity>_updated` with the before/after of the changed fields and,
 * for an opportunity whose stage changed, `opportunity_stage_changed` of its own. `fields`
 * are the fields the caller sent (the metadata when the store could not show the change).
 */
export function crmUpdated(entity: CrmEntity, actor: Actor, before: CrmSnapshot, after: CrmSnapshot, given: { [key: string]: JsonValue }): ActivityEvent[] {
  const changes = before.data && after.data ? changedFields(before.data, after.data) : null;
  const name = nameOf(after, nameOf(before));
  const events: ActivityEvent[] = [
    {
      activityType: `${entity}_updated`,
      title: `Updated ${entity}: ${name}`,
      entityType: entity,
      entityId: after.odooId,
      ...actor,
      metadata: changes ? { before: changes.before, after: changes.after } : { fields: given },
    },
  ];
  if (entity === 'opportunity' && before.data && after.data) {
    const from = before.data['stageId'] ?? null;
    const to = after.data['stageId'] ?? null;
    if (m2oId(from) !== m2oId(to)) {
      events.push({
        activityType: 'opportunity_stage_changed',
        title: `Changed stage of opportunity: ${name} (${m2oName(from) ?? 'none'} → ${m2oName(to) ?? 'none'})`,
        entityType: 'opportunity',
        entityId: after.odooId,
        ...actor,
        metadata: { before: { stageId: from }, after: { stageId: to } },
      });
    }
  }
  return events;
}

/** `opportunity_won` / `opportunity_lost`, with the stage, probability and lost reason after. */
export function opportunityClosed(outcome: 'won' | 'lost', actor: Actor, before: CrmSnapshot, after: CrmSnapshot, reason?: JsonValue): ActivityEvent {
  const pick = (data: CrmSnapshot['data']) =>
    data ? { stageId: data['stageId'] ?? null, probability: data['probability'] ?? null, lostReasonId: data['lostReasonId'] ?? null } : null;
  return {
    activityType: outcome === 'won' ? 'opportunity_won' : 'opportunity_lost',
    title: `${outcome === 'won' ? 'Won' : 'Lost'} opportunity: ${nameOf(after, nameOf(before))}`,
    entityType: 'opportunity',
    entityId: after.odooId,
    ...actor,
    metadata: { before: pick(before.data), after: pick(after.data), ...(reason !== undefined ? { reason } : {}) },
  };
}

/** `account_viewed_360`: someone opened an account's 360 view. */
export function accountViewed360(actor: Actor, account: CrmSnapshot): ActivityEvent {
  return {
    activityType: 'account_viewed_360',
    title: `Viewed account 360: ${nameOf(account)}`,
    entityType: 'account',
    entityId: account.odooId,
    ...actor,
  };
}
