/**
 * What the page components say about links, people and sync runs, in words. Pure functions
 * over the API's shapes: no I/O, no clock.
 * @module
 */

/** A user's link to Odoo, as `GET /api/auth/me` and the admin routes answer it. */
export interface OdooLinkView {
  /** `res.users` id, when known. */
  odooUserId: number | null;
  /** `hr.employee` id, when known. */
  employeeId: number | null;
  /** How the link was made (`manual`: by an admin). */
  strategy: 'email' | 'employee_number' | 'name' | 'salesperson' | 'manual';
  /** When (ISO-8601). */
  linkedAt: string;
  /** Who made it: the user themself, or an admin's user id. */
  linkedBy: string;
}

/** What kind of link a person has, for what the pages offer them. */
export type LinkKind = 'none' | 'automatic' | 'manual' | 'not_in_odoo';

/** Sorts a link into the four kinds the pages tell apart. */
export function linkKind(link: OdooLinkView | null): LinkKind {
  if (link === null) return 'none';
  if (link.strategy !== 'manual') return 'automatic';
  return link.odooUserId === null && link.employeeId === null ? 'not_in_odoo' : 'manual';
}

const HOW_MATCHED: Record<OdooLinkView['strategy'], string> = {
  email: 'Matched by e-mail address.',
  employee_number: 'Matched by employee number.',
  name: 'Matched by name.',
  salesperson: 'Matched by name, as the salesperson on opportunities.',
  manual: 'Linked by hand by an admin.',
};

/** One sentence saying how a link was made ("Matched by e-mail address."). */
export function howMatched(link: OdooLinkView): string {
  if (linkKind(link) === 'not_in_odoo') return 'An admin noted that this person is not in Odoo.';
  return HOW_MATCHED[link.strategy];
}

/**
 * What the profile says to the person about their own link, and whether "Link to Odoo" is
 * offered: never over a link an admin made (or an admin's "not in Odoo").
 */
export function ownLinkExplanation(link: OdooLinkView | null): { text: string; canRelink: boolean } {
  switch (linkKind(link)) {
    case 'none':
      return { text: 'You are not linked to Odoo yet. Link your account to see your own records and activities.', canRelink: true };
    case 'automatic':
      return { text: `${howMatched(link as OdooLinkView)} If this is not you, try again or ask an admin.`, canRelink: true };
    case 'manual':
      return { text: 'An admin linked you to Odoo by hand. To change it, ask an admin.', canRelink: false };
    case 'not_in_odoo':
      return { text: 'An admin noted that you are not in Odoo, so nothing links you automatically. If you are, ask an admin to link you.', canRelink: false };
  }
}

/** Words for the sync error codes (`error.code` of a sync log entry). */
const SYNC_ERROR_WORDS: Readonly<Record<string, string>> = {
  odoo_auth_failed: 'Odoo refused the sign-in of odoo-sync (user name, password or API key).',
  odoo_access_denied: 'The Odoo user of odoo-sync may not read this data.',
  odoo_model_not_found: 'This Odoo has no such model (an Odoo app is not installed).',
  odoo_validation_failed: 'Odoo refused the request as invalid.',
  odoo_server_error: 'Odoo answered with an error.',
  odoo_transport_failed: 'Odoo could not be reached.',
  mass_deletion_blocked: 'Stopped before deleting many records at once (a safety check).',
  mass_archive_blocked: 'Stopped before archiving many records at once (a safety check).',
  store_error: 'The database of odoo-sync failed.',
  lease_unavailable: 'Another server was syncing the same data.',
  lease_lost: 'Another server took over this sync.',
  sync_in_progress: 'A sync was already running.',
  run_aborted: 'The run was stopped (the server was shutting down).',
  config_invalid: 'The configuration is not valid.',
  entity_definition_invalid: 'The definition of this kind of record is not valid.',
  internal_error: 'An unexpected error.',
};

/** A short sentence for a sync error code, or `null` for a code it does not know. */
export function syncErrorWords(code: string): string | null {
  return SYNC_ERROR_WORDS[code] ?? null;
}

/** What a run changed, as `GET /api/sync/logs` counts it. */
export interface SyncCounts {
  fetched: number;
  inserted: number;
  updated: number;
  archived: number;
  reactivated: number;
  softDeleted: number;
  unchanged: number;
  invalid: number;
}

/** "3 new, 2 updated, 1 deleted in Odoo" — or "no changes" (the non-zero counts only). */
export function countsInWords(counts: SyncCounts): string {
  const parts: string[] = [];
  const add = (n: number, words: string) => {
    if (n > 0) parts.push(`${n.toLocaleString('en')} ${words}`);
  };
  add(counts.inserted, 'new');
  add(counts.updated, 'updated');
  add(counts.archived, 'archived');
  add(counts.reactivated, 'back');
  add(counts.softDeleted, 'deleted in Odoo');
  add(counts.invalid, 'invalid');
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

const TRIGGERS: Readonly<Record<string, string>> = {
  schedule: 'Scheduled',
  manual: 'By hand',
  webhook: 'Odoo webhook',
  startup: 'At start-up',
};

/** "Scheduled", "By hand", "Odoo webhook", "At start-up". */
export function triggerWords(trigger: string): string {
  return TRIGGERS[trigger] ?? trigger;
}

/**
 * Checks the sync interval a person typed: a whole number of minutes from 5 to 60. Returns the
 * number, or the sentence to show.
 */
export function parseIntervalMinutes(input: string): { ok: true; minutes: number } | { ok: false; message: string } {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter a number of minutes from 5 to 60.' };
  if (!/^\d+$/.test(text)) return { ok: false, message: 'Enter a whole number of minutes, from 5 to 60.' };
  const minutes = Number(text);
  if (minutes < 5 || minutes > 60) return { ok: false, message: `${minutes} is out of range: enter a number of minutes from 5 to 60.` };
  return { ok: true, minutes };
}

/** People in the order admins handle them: pending first, then approved, then rejected (stable otherwise). */
export function peopleInOrder<T extends { status: 'pending' | 'approved' | 'rejected' }>(people: readonly T[]): T[] {
  const rank = { pending: 0, approved: 1, rejected: 2 } as const;
  return people
    .map((person, index) => ({ person, index }))
    .sort((a, b) => rank[a.person.status] - rank[b.person.status] || a.index - b.index)
    .map(({ person }) => person);
}

const ENTITY_WORDS: Readonly<Record<string, string>> = {
  account: 'Accounts',
  contact: 'Contacts',
  opportunity: 'Opportunities',
  invoice: 'Invoices',
  employee: 'Employees',
  odoo_user: 'Odoo users',
};

/** "Odoo users" for `odoo_user`; an entity it does not know reads as its name with spaces. */
export function entityWords(entity: string): string {
  return ENTITY_WORDS[entity] ?? entity.replace(/_/g, ' ');
}
