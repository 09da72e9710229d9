/**
 * Admin routes over users: approval, roles, and Odoo links made by hand.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Employee, OdooLink, OdooUser, SyncedRecord, User } from '@odoo-sync/core';
import type { UserPatch } from '@odoo-sync/core/store-kit';
import {
  ConflictError,
  InputError,
  type InputIssue,
  LeaseUnavailableError,
  NotFoundError,
} from '@odoo-sync/core/errors';
import { searchOdooCandidates, type OdooDirectoryCache } from '../../linking/odoo-directory.js';
import type { Ms365SignInProvider } from './auth.js';
import { freshEvidence, linkIfUnlinked } from '../../linking/link.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema } from '../schemas.js';
import { callerOf, noteActivity, type RequestState } from '../state.js';
import { actorOf, approval, linkActivity, roleChanged } from '../activity-events.js';
import {
  candidatesQuerySchema,
  candidatesSchema,
  odooLinkBodySchema,
  publicUser,
  roleBodySchema,
  userParamsSchema,
  userSchema,
  usersPageSchema,
  usersQuerySchema,
} from '../user-schemas.js';

/** Lease that serialises changes that could leave no admin, across replicas. */
const ADMIN_CHANGE_LEASE = 'users:admin-change';

/**
 * Admin routes: `GET /api/admin/users`, `POST /api/admin/users/:id/approve|reject`,
 * `PUT /api/admin/users/:id/role`, `GET /api/admin/odoo-candidates`,
 * `PUT|DELETE /api/admin/users/:id/odoo-link`.
 *
 * Rules: the last approved admin can be neither demoted nor rejected (409); a hand-made link
 * must name synced Odoo records (422 otherwise) that agree with each other.
 */
export function adminUserRoutes(
  deps: Pick<RouteDeps, 'store' | 'clock' | 'logger'>,
  directory: OdooDirectoryCache,
  autoLink: OdooDirectoryCache | null = null,
  ms365: Pick<Ms365SignInProvider, 'signOut' | 'readProfile'> | null = null,
): AnyRoute[] {
  const readProfile = ms365?.readProfile;
  const profiles = readProfile ? (userId: string) => readProfile.call(ms365, userId) : null;
  const adminId = (ctx: { state: RequestState }) => callerOf(ctx).user.id;

  async function userOr404(id: string): Promise<User> {
    const user = await deps.store.getUser(id);
    if (user === null) throw new NotFoundError(`No user with id ${id}.`);
    return user;
  }

  /** Runs `task` holding the admin-change lease (waits a little for another holder). */
  async function withAdminLease<T>(task: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const lease = await deps.store.acquireLease(ADMIN_CHANGE_LEASE, owner, 15_000, deps.clock.now());
      if (lease) break;
      if (attempt >= 40) throw new LeaseUnavailableError('Another change of admins is in progress; try again.');
      await new Promise<void>((resolve) => setTimeout(resolve, 25 + Math.floor(Math.random() * 25)));
    }
    try {
      return await task();
    } finally {
      await deps.store.releaseLease(ADMIN_CHANGE_LEASE, owner).catch(() => false);
    }
  }

  /**
   * Applies `patch` to the user unless it would take away the last approved admin. Changes that
   * cannot remove an admin are applied without the lease.
   */
  async function changeUser(id: string, patch: UserPatch): Promise<{ before: User; user: User }> {
    const losesAdmin = (user: User) =>
      user.role === 'admin' &&
      user.status === 'approved' &&
      ((patch.role !== undefined && patch.role !== 'admin') || (patch.status !== undefined && patch.status !== 'approved'));
    const first = await userOr404(id);
    if (!losesAdmin(first)) return { before: first, user: await deps.store.updateUser(id, patch, deps.clock.now()) };
    return withAdminLease(async () => {
      const user = await userOr404(id);
      if (losesAdmin(user) && (await deps.store.countUsers({ role: 'admin', status: 'approved' })) <= 1) {
        throw new ConflictError(`${user.email} is the last admin; make another user admin first.`, {
          hint: 'Approve another user and give them the admin role (PUT /api/admin/users/:id/role), then try again.',
        });
      }
      return { before: user, user: await deps.store.updateUser(id, patch, deps.clock.now()) };
    });
  }

  return [
    defineRoute({
      method: 'GET',
      path: '/api/admin/users',
      operationId: 'listUsers',
      summary: 'Users, oldest first, optionally by status or role.',
      tag: 'admin',
      access: 'admin',
      query: usersQuerySchema,
      responses: { 200: { description: 'A page of users.', schema: usersPageSchema } },
      async handle(ctx, { query }) {
        const page = await deps.store.listUsers({
          ...(query.status ? { status: query.status } : {}),
          ...(query.role ? { role: query.role } : {}),
          ...(query.limit ? { limit: query.limit } : {}),
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        ctx.body = { items: page.items.map(publicUser), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/admin/users/:id/approve',
      operationId: 'approveUser',
      summary: 'Approves a user (they can use the API).',
      description:
        'When the user has no Odoo link yet, they are matched against the synced Odoo directory (with their Microsoft 365 ' +
        'profile read again when they have a session) and linked when exactly one ' +
        'person fits (`odooLink.linkedBy` is the approving admin); otherwise the answer still approves them, with `odooLink: null`. ' +
        'Off with `LINK_AUTOMATICALLY=false`.',
      tag: 'admin',
      access: 'admin',
      params: userParamsSchema,
      responses: { 200: { description: 'The user.', schema: userSchema }, 404: { description: 'No such user.', schema: errorBodySchema } },
      activity: { types: ['user_approved', 'user_linked_by_admin'], mode: 'durable' },
      async handle(ctx, { params }) {
        const { before, user: approved } = await changeUser(params.id, { status: 'approved' });
        const admin = actorOf(callerOf(ctx).user);
        if (before.status !== 'approved') noteActivity(ctx, approval(admin, approved, 'approved'));
        deps.logger.info({ userId: approved.id, adminId: adminId(ctx) }, 'user approved');
        // Their Microsoft 365 profile (aliases, employee id) read with their session, when they have one.
        const { user: current, evidence } =
          autoLink !== null && approved.odooLink === null ? await freshEvidence(deps, profiles, approved) : { user: approved, evidence: {} };
        const user = await linkIfUnlinked(deps, autoLink, current, adminId(ctx), evidence);
        const linked = linkActivity(admin, user, current.odooLink, true);
        if (linked) noteActivity(ctx, linked);
        ctx.body = publicUser(user);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/admin/users/:id/reject',
      operationId: 'rejectUser',
      summary: 'Rejects a user (every call of theirs answers 403) and deletes their Microsoft 365 tokens. 409 for the last admin.',
      tag: 'admin',
      access: 'admin',
      params: userParamsSchema,
      responses: {
        200: { description: 'The user.', schema: userSchema },
        404: { description: 'No such user.', schema: errorBodySchema },
        409: { description: 'The last admin (`conflict`).', schema: errorBodySchema },
      },
      activity: { types: ['user_rejected'], mode: 'durable' },
      async handle(ctx, { params }) {
        const { before, user } = await changeUser(params.id, { status: 'rejected' });
        if (before.status !== 'rejected') noteActivity(ctx, approval(actorOf(callerOf(ctx).user), user, 'rejected'));
        // A person who may not use the server keeps no Microsoft 365 tokens in it.
        if (ms365) await ms365.signOut(user.id);
        deps.logger.info({ userId: user.id, adminId: adminId(ctx) }, 'user rejected');
        ctx.body = publicUser(user);
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/admin/users/:id/role',
      operationId: 'setUserRole',
      summary: 'Sets a user\'s role. 409 when it would leave no admin.',
      tag: 'admin',
      access: 'admin',
      params: userParamsSchema,
      body: roleBodySchema,
      responses: {
        200: { description: 'The user.', schema: userSchema },
        404: { description: 'No such user.', schema: errorBodySchema },
        409: { description: 'The last admin (`conflict`).', schema: errorBodySchema },
      },
      activity: { types: ['role_changed'], mode: 'durable' },
      async handle(ctx, { params, body }) {
        const { before, user } = await changeUser(params.id, { role: body.role });
        if (before.role !== user.role) noteActivity(ctx, roleChanged(actorOf(callerOf(ctx).user), user, before.role));
        deps.logger.info({ userId: user.id, role: user.role, adminId: adminId(ctx) }, 'user role set');
        ctx.body = publicUser(user);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/admin/odoo-candidates',
      operationId: 'searchOdooCandidates',
      summary: 'Synced Odoo users and employees whose name, login or e-mail fits `q`, best first.',
      description: 'Exact, prefix and substring hits first (case, accents and `+tag` ignored), then close names; active people before archived ones.',
      tag: 'admin',
      access: 'admin',
      query: candidatesQuerySchema,
      responses: { 200: { description: 'Candidates.', schema: candidatesSchema } },
      async handle(ctx, { query }) {
        const items = searchOdooCandidates(await directory.get(), query.q, { limit: query.limit ?? 20 });
        ctx.body = { items };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/admin/users/:id/odoo-link',
      operationId: 'setUserOdooLink',
      summary: 'Links a user to an Odoo user and/or employee by hand.',
      description:
        'Each id must be a synced record not deleted in Odoo (422 otherwise); an employee linked in Odoo to another user ' +
        'than `odooUserId` is refused (422). The link is stored as given, with `strategy: manual`; neither self-service nor ' +
        'automatic linking ever replaces it. `{ "notInOdoo": true }` says the person has no Odoo identity: a manual link to ' +
        'nobody (both ids `null`), which keeps automatic linking away from them.',
      tag: 'admin',
      access: 'admin',
      params: userParamsSchema,
      body: odooLinkBodySchema,
      responses: { 200: { description: 'The user with the link.', schema: userSchema }, 404: { description: 'No such user.', schema: errorBodySchema } },
      activity: { types: ['user_linked_by_admin', 'user_relinked_by_admin', 'user_unlinked_by_admin'], mode: 'durable' },
      async handle(ctx, { params, body }) {
        const before = await userOr404(params.id);
        const issues: InputIssue[] = [];
        let employee: SyncedRecord<Employee> | null = null;
        if (body.odooUserId !== undefined) {
          const record = (await deps.store.getRecord('odoo_user', body.odooUserId)) as SyncedRecord<OdooUser> | null;
          if (record === null || record.inactiveReason === 'deleted') {
            issues.push({ path: 'body.odooUserId', message: `no Odoo user with id ${body.odooUserId} has been synced` });
          }
        }
        if (body.employeeId !== undefined) {
          employee = (await deps.store.getRecord('employee', body.employeeId)) as SyncedRecord<Employee> | null;
          if (employee === null || employee.inactiveReason === 'deleted') {
            issues.push({ path: 'body.employeeId', message: `no Odoo employee with id ${body.employeeId} has been synced` });
            employee = null;
          }
        }
        const employeeUser = employee?.data.userId ?? null;
        if (employee && body.odooUserId !== undefined && employeeUser !== null && employeeUser.id !== body.odooUserId) {
          issues.push({
            path: 'body.employeeId',
            message: `employee ${employee.odooId} belongs to Odoo user ${employeeUser.id} (${employeeUser.name}), not ${body.odooUserId}`,
          });
        }
        if (issues.length > 0) {
          throw new InputError(`The Odoo link is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
        }
        const now = deps.clock.now();
        const link: OdooLink = {
          odooUserId: body.odooUserId ?? null,
          employeeId: body.employeeId ?? null,
          strategy: 'manual',
          linkedAt: now.toISOString(),
          linkedBy: adminId(ctx),
        };
        const user = await deps.store.updateUser(params.id, { odooLink: link }, now);
        deps.logger.info({ userId: user.id, odooUserId: link.odooUserId, employeeId: link.employeeId, adminId: link.linkedBy }, 'odoo link set by admin');
        const linked = linkActivity(actorOf(callerOf(ctx).user), user, before.odooLink, true);
        if (linked) noteActivity(ctx, linked);
        ctx.body = publicUser(user);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/admin/users/:id/odoo-link',
      operationId: 'deleteUserOdooLink',
      summary: 'Removes a user\'s Odoo link (they can link themself again).',
      description:
        'Automatic linking may link them again at their next sign-in when exactly one Odoo person fits; to keep someone ' +
        'unlinked, set `{ "notInOdoo": true }` with PUT instead.',
      tag: 'admin',
      access: 'admin',
      params: userParamsSchema,
      responses: { 200: { description: 'The user without link.', schema: userSchema }, 404: { description: 'No such user.', schema: errorBodySchema } },
      activity: { types: ['user_unlinked_by_admin'], mode: 'durable' },
      async handle(ctx, { params }) {
        const before = await userOr404(params.id);
        const user = await deps.store.updateUser(params.id, { odooLink: null }, deps.clock.now());
        const unlinked = linkActivity(actorOf(callerOf(ctx).user), user, before.odooLink, true);
        if (unlinked) noteActivity(ctx, unlinked);
        deps.logger.info({ userId: user.id, adminId: adminId(ctx) }, 'odoo link removed by admin');
        ctx.body = publicUser(user);
      },
    }),
  ];
}
