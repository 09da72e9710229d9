/**
 * What the activity timeline reads (`GET /api/activities`) and the pure logic around it: the
 * filters and their query string, and activity types in words.
 * @module
 */
import type { QueryValues } from '../api.js';

/** One activity, as `GET /api/activities` answers it (newest first). */
export interface Activity {
  /** Unique id. */
  id: string;
  /** Kind, e.g. `opportunity_won`, `call`. */
  activityType: string;
  /** One-line description. */
  title: string;
  /** Entity it concerns, e.g. `opportunity`. */
  entityType: string | null;
  /** That entity's id. */
  entityId: string | null;
  /** Who did it (`null`: the system). */
  userId: string | null;
  /** Their name at the time. */
  userName: string | null;
  /** `app` (through odoo-sync) or `odoo` (in Odoo). */
  source: 'app' | 'odoo';
  /** ISO-8601 time it happened. */
  timestamp: string;
}

/** A page of `GET /api/activities`. */
export interface ActivityPage {
  /** The activities, newest first. */
  items: Activity[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
}

/** The timeline's filters (every one given must hold). */
export interface TimelineFilters {
  /** Activity types (any of them). */
  types: string[];
  /** Who did it (user id). */
  userId: string;
  /** On or after (ISO date-time or `YYYY-MM-DD`). */
  from: string;
  /** Before (ISO date-time or `YYYY-MM-DD`). */
  to: string;
  /** Entity type. */
  entityType: string;
  /** Entity id. */
  entityId: string;
  /** `app` or `odoo`; empty for both. */
  source: string;
  /** Text in the title. */
  q: string;
}

/** No filter at all. */
export const NO_FILTERS: Readonly<TimelineFilters> = { types: [], userId: '', from: '', to: '', entityType: '', entityId: '', source: '', q: '' };

/** Splits a `type` attribute (`"call, meeting"`) into types. */
export function parseTypes(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** The query of `GET /api/activities` (and of its CSV export) for `filters`. */
export function filterQuery(filters: TimelineFilters): QueryValues {
  return {
    type: filters.types.length > 0 ? filters.types.join(',') : undefined,
    userId: filters.userId.trim(),
    from: filters.from.trim(),
    to: filters.to.trim(),
    entityType: filters.entityType.trim(),
    entityId: filters.entityId.trim(),
    source: filters.source,
    q: filters.q.trim(),
  };
}

/** Whether any filter is set. */
export function hasFilters(filters: TimelineFilters): boolean {
  return Object.values(filterQuery(filters)).some((v) => v !== undefined && v !== '');
}

/** The built-in activity types, with their words, grouped by where they happen. */
export const ACTIVITY_TYPE_GROUPS: readonly { label: string; types: readonly (readonly [string, string])[] }[] = [
  {
    label: 'In Odoo',
    types: [
      ['call', 'Call'],
      ['email', 'E-mail'],
      ['meeting', 'Meeting'],
      ['todo', 'To-do'],
      ['upload_document', 'Document upload'],
      ['note', 'Note'],
      ['message', 'Message'],
      ['odoo_activity', 'Other Odoo activity'],
    ],
  },
  {
    label: 'Sales',
    types: [
      ['opportunity_created', 'Opportunity created'],
      ['opportunity_updated', 'Opportunity updated'],
      ['opportunity_stage_changed', 'Opportunity stage changed'],
      ['opportunity_won', 'Opportunity won'],
      ['opportunity_lost', 'Opportunity lost'],
      ['account_created', 'Account created'],
      ['account_updated', 'Account updated'],
      ['contact_created', 'Contact created'],
      ['contact_updated', 'Contact updated'],
      ['account_viewed_360', 'Account viewed'],
    ],
  },
  {
    label: 'People and access',
    types: [
      ['user_signed_in', 'Signed in'],
      ['user_signed_out', 'Signed out'],
      ['user_approved', 'Person approved'],
      ['user_rejected', 'Person rejected'],
      ['role_changed', 'Role changed'],
      ['user_linked', 'Linked to Odoo'],
      ['user_unlinked', 'Unlinked from Odoo'],
      ['user_relinked', 'Relinked to Odoo'],
      ['user_linked_by_admin', 'Linked by an admin'],
      ['user_unlinked_by_admin', 'Unlinked by an admin'],
      ['user_relinked_by_admin', 'Relinked by an admin'],
      ['api_key_created', 'API key created'],
      ['api_key_revoked', 'API key revoked'],
    ],
  },
  {
    label: 'Sync',
    types: [
      ['sync_run_started', 'Sync run started'],
      ['sync_interval_changed', 'Sync interval changed'],
    ],
  },
];

const TYPE_WORDS = new Map(ACTIVITY_TYPE_GROUPS.flatMap((g) => g.types));

/** An activity type in words: the built-in ones by name, others from their `snake_case`. */
export function activityTypeLabel(type: string): string {
  const known = TYPE_WORDS.get(type);
  if (known) return known;
  const words = type.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Whether an answer has the shape of an activity page. */
export function isActivityPage(value: unknown): value is ActivityPage {
  return (
    isRecord(value) &&
    (typeof value['nextCursor'] === 'string' || value['nextCursor'] === null) &&
    Array.isArray(value['items']) &&
    value['items'].every((a) => isRecord(a) && typeof a['id'] === 'string' && typeof a['title'] === 'string' && typeof a['timestamp'] === 'string')
  );
}
