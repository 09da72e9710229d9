/**
 * The activities of user actions (sign-in, approval, links, API keys, sync by hand): how each
 * one is described. Pure functions, no I/O; the routes note what these return.
 * @module
 */
import type { ActivityEvent } from '@odoo-sync/core/activity';
import type { JsonValue, OdooLink, User } from '@odoo-sync/core';

/** Who did something: the fields of an activity that name them. */
export interface Actor {
  /** Their user id. */
  userId: string;
  /** Their display name at the time. */
  userName: string;
}

/** The actor that `user` is. */
export function actorOf(user: Pick<User, 'id' | 'name'>): Actor {
  return { userId: user.id, userName: user.name };
}

/** A person as an activity names them (the subject of an admin's action). */
function who(user: Pick<User, 'name' | 'email'>): string {
  return user.name.trim() !== '' ? user.name : user.email;
}

/** The part of an Odoo link an activity keeps (ids and how it was made; never evidence values). */
export function linkMetadata(link: OdooLink | null): { [key: string]: JsonValue } {
  if (link === null) return { odooUserId: null, employeeId: null };
  return { odooUserId: link.odooUserId, employeeId: link.employeeId, strategy: link.strategy };
}

/** `user_signed_in`: someone signed in with Microsoft 365. */
export function signedIn(user: User, outcome: string): ActivityEvent {
  return {
    activityType: 'user_signed_in',
    title: `Signed in: ${who(user)}`,
    entityType: 'user',
    entityId: user.id,
    ...actorOf(user),
    metadata: { method: 'ms365', outcome, status: user.status, role: user.role },
  };
}

/** `user_signed_out`. */
export function signedOut(user: Pick<User, 'id' | 'name' | 'email'>): ActivityEvent {
  return { activityType: 'user_signed_out', title: `Signed out: ${who(user)}`, entityType: 'user', entityId: user.id, ...actorOf(user) };
}

/** `user_approved` / `user_rejected`, by an admin. */
export function approval(admin: Actor, subject: User, decision: 'approved' | 'rejected'): ActivityEvent {
  return {
    activityType: decision === 'approved' ? 'user_approved' : 'user_rejected',
    title: `${decision === 'approved' ? 'Approved' : 'Rejected'} user: ${who(subject)}`,
    entityType: 'user',
    entityId: subject.id,
    ...admin,
    metadata: { subjectUserId: subject.id },
  };
}

/** `role_changed`, by an admin. */
export function roleChanged(admin: Actor, subject: User, before: string): ActivityEvent {
  return {
    activityType: 'role_changed',
    title: `Changed role of ${who(subject)}: ${before} → ${subject.role}`,
    entityType: 'user',
    entityId: subject.id,
    ...admin,
    metadata: { subjectUserId: subject.id, before: { role: before }, after: { role: subject.role } },
  };
}

/** How a link changed: made where there was none, removed, or replaced. */
export type LinkChange = 'linked' | 'unlinked' | 'relinked';

/** The kind of change from `before` to `after`, or `null` when nothing changed. */
export function linkChange(before: OdooLink | null, after: OdooLink | null): LinkChange | null {
  const empty = (link: OdooLink | null) => link === null;
  if (empty(before) && empty(after)) return null;
  if (empty(after)) return 'unlinked';
  if (empty(before)) return 'linked';
  const same = before?.odooUserId === after?.odooUserId && before?.employeeId === after?.employeeId && before?.strategy === after?.strategy;
  return same ? null : 'relinked';
}

/**
 * `user_linked` / `user_unlinked` / `user_relinked` (the person themself, or automatically at
 * sign-in) or the `…_by_admin` types (an admin for them), or `null` when the link did not change.
 */
export function linkActivity(actor: Actor, subject: User, before: OdooLink | null, byAdmin: boolean): ActivityEvent | null {
  const change = linkChange(before, subject.odooLink);
  if (change === null) return null;
  const verb = change === 'linked' ? 'Linked' : change === 'unlinked' ? 'Unlinked' : 'Relinked';
  return {
    activityType: byAdmin ? `user_${change}_by_admin` : `user_${change}`,
    title: `${verb} ${who(subject)} ${change === 'unlinked' ? 'from' : 'to'} Odoo`,
    entityType: 'user',
    entityId: subject.id,
    ...actor,
    metadata: { subjectUserId: subject.id, before: linkMetadata(before), after: linkMetadata(subject.odooLink) },
  };
}

/** `api_key_created` / `api_key_revoked` (the key itself is never part of it). */
export function apiKeyActivity(admin: Actor, key: { id: string; userId: string; email: string; label: string }, change: 'created' | 'revoked'): ActivityEvent {
  return {
    activityType: change === 'created' ? 'api_key_created' : 'api_key_revoked',
    title: `${change === 'created' ? 'Created' : 'Revoked'} API key "${key.label}" of ${key.email}`,
    entityType: 'api_key',
    entityId: key.id,
    ...admin,
    metadata: { apiKeyId: key.id, ownerUserId: key.userId, label: key.label },
  };
}

/** `sync_run_started`: an admin started a run by hand. */
export function syncRunStarted(admin: Actor, run: { runId: string; entities: readonly string[]; mode: string; force: boolean }): ActivityEvent {
  return {
    activityType: 'sync_run_started',
    title: `Started a ${run.mode} sync run${run.entities.length === 1 ? ` of ${run.entities[0] ?? ''}` : ''}`,
    entityType: 'sync_run',
    entityId: run.runId,
    ...admin,
    metadata: { runId: run.runId, entities: [...run.entities], mode: run.mode, force: run.force },
  };
}

/** `sync_interval_changed`. */
export function syncIntervalChanged(admin: Actor, before: number, after: number): ActivityEvent {
  return {
    activityType: 'sync_interval_changed',
    title: `Changed the sync interval: ${before} → ${after} minutes`,
    entityType: 'sync_settings',
    entityId: 'interval',
    ...admin,
    metadata: { before: { intervalMinutes: before }, after: { intervalMinutes: after } },
  };
}
