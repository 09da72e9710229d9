/**
 * The activity types odoo-sync knows, and how an embedder adds their own.
 * @module
 */

/** Types of what people do through odoo-sync (source `app`). */
export const APP_ACTIVITY_TYPES = [
  'opportunity_created',
  'opportunity_updated',
  'opportunity_stage_changed',
  'opportunity_won',
  'opportunity_lost',
  'account_created',
  'account_updated',
  'contact_created',
  'contact_updated',
  'account_viewed_360',
  'user_signed_in',
  'user_signed_out',
  'user_approved',
  'user_rejected',
  'role_changed',
  'user_linked',
  'user_unlinked',
  'user_relinked',
  'user_linked_by_admin',
  'user_unlinked_by_admin',
  'user_relinked_by_admin',
  'api_key_created',
  'api_key_revoked',
  'sync_run_started',
  'sync_interval_changed',
] as const;

/**
 * Types of what happens in Odoo itself (source `odoo`): scheduled activities (`mail.activity`
 * of type call, email, meeting, to-do, document upload) and messages or notes logged on
 * opportunities and partners (`mail.message`).
 */
export const ODOO_ACTIVITY_TYPES = ['call', 'email', 'meeting', 'todo', 'upload_document', 'note', 'message', 'odoo_activity'] as const;

/** Every built-in activity type. */
export const BUILT_IN_ACTIVITY_TYPES: readonly BuiltInActivityType[] = [...APP_ACTIVITY_TYPES, ...ODOO_ACTIVITY_TYPES];

/** A built-in activity type. */
export type BuiltInActivityType = (typeof APP_ACTIVITY_TYPES)[number] | (typeof ODOO_ACTIVITY_TYPES)[number];

/** What an activity type looks like: lower-case words joined by `_`, up to 64 characters. */
export const ACTIVITY_TYPE_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * The set of types an `ActivityLogger` accepts: the built-in ones plus `extra`. Throws a
 * `TypeError` naming any extra type that is not lower-case words joined by `_`.
 *
 * @example
 * ```ts
 * const types = activityTypeSet(['quote_sent', 'contract_signed']);
 * types.has('quote_sent'); // true
 * ```
 */
export function activityTypeSet(extra: readonly string[] = []): ReadonlySet<string> {
  for (const type of extra) {
    if (typeof type !== 'string' || type.length > 64 || !ACTIVITY_TYPE_PATTERN.test(type)) {
      throw new TypeError(`Activity type "${type}" must be lower-case words joined by "_" (e.g. quote_sent), at most 64 characters.`);
    }
  }
  return new Set<string>([...BUILT_IN_ACTIVITY_TYPES, ...extra]);
}
