/**
 * Self-service linking: a signed-in person links themself to their Odoo user and employee.
 * @module
 */
import {
  describeMatchFailure,
  type IdentityNotMatched,
  type JsonValue,
  matchOdooIdentity,
  type OdooLink,
  type PersonToMatch,
  type User,
} from '@odoo-sync/core';
import { ConflictError } from '@odoo-sync/core/errors';
import type { Context } from 'koa';
import type { Principal } from '../auth.js';
import type { ApiErrorBody } from '../http-errors.js';
import type { OdooDirectoryCache } from '../odoo-directory.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema } from '../schemas.js';
import { publicUser, relinkBodySchema, relinkResultSchema } from '../user-schemas.js';

/** The details of a failed self-service link (404 / 409). */
function failureDetails(result: IdentityNotMatched): { [key: string]: JsonValue } {
  return {
    matchCode: result.code,
    reason: result.reason,
    strategy: result.strategy,
    tried: [...result.tried],
    suggestions: result.suggestions.map((s) => ({
      ...(s.odooUserId !== undefined ? { odooUserId: s.odooUserId } : {}),
      ...(s.employeeId !== undefined ? { employeeId: s.employeeId } : {}),
      name: s.name,
      email: s.email,
      score: s.score,
    })),
  };
}

function answerFailure(ctx: Context, result: IdentityNotMatched, person: PersonToMatch): void {
  const ambiguous = result.status === 'ambiguous';
  const body: ApiErrorBody = {
    error: {
      code: ambiguous ? 'conflict' : 'not_found',
      message: describeMatchFailure(result, person),
      details: failureDetails(result),
    },
  };
  ctx.status = ambiguous ? 409 : 404;
  ctx.body = body;
}

/**
 * `POST /api/auth/relink-odoo`: matches the caller (their e-mail and name) against the synced
 * Odoo users, employees and opportunity salespersons. On a match the link is stored and
 * answered; otherwise 404 (nobody fits) or 409 (several people fit, or the records disagree)
 * with `details` `{ matchCode, reason, strategy, tried, suggestions }` and a sentence a
 * salesperson understands as `message`. A link an admin made by hand is never replaced here
 * (409). Nobody can link anyone but themself: the body takes no user.
 */
export function linkingRoutes(deps: RouteDeps, directory: OdooDirectoryCache): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/auth/relink-odoo',
      operationId: 'relinkOdoo',
      summary: 'Links the caller to their Odoo user and employee (self-service).',
      description:
        'Tries e-mail, then name, then opportunity salesperson. 404 when nobody fits and 409 when several people fit or ' +
        'the records disagree (the answer never guesses): `error.message` is a sentence for the person, `error.details` ' +
        'holds `matchCode`, `reason`, `tried` and up to 5 ranked `suggestions`. 409 as well when an admin linked the caller by hand.',
      tag: 'auth',
      access: 'user',
      body: relinkBodySchema,
      bodyRequired: false,
      responses: {
        200: { description: 'Linked.', schema: relinkResultSchema },
        404: { description: 'Nobody in Odoo fits (`not_found`); `details` says what was tried and suggests people.', schema: errorBodySchema },
        409: { description: 'Several people fit or the records disagree, or an admin linked the caller by hand (`conflict`).', schema: errorBodySchema },
      },
      async handle(ctx) {
        const principal = ctx.state['principal'] as Principal;
        const user: User = principal.user;
        if (user.odooLink?.strategy === 'manual') {
          throw new ConflictError('An admin linked you to Odoo by hand; ask an admin to change it.', {
            hint: 'An admin can change or remove the link (PUT or DELETE /api/admin/users/:id/odoo-link).',
          });
        }
        const person: PersonToMatch = { email: user.email, name: user.name };
        const result = matchOdooIdentity(person, await directory.get());
        if (result.status !== 'matched') {
          deps.logger.info({ userId: user.id, matchCode: result.code, strategy: result.strategy, tried: result.tried }, 'odoo self-link failed');
          answerFailure(ctx, result, person);
          return;
        }
        const now = deps.clock.now();
        const link: OdooLink = {
          odooUserId: result.odooUserId,
          employeeId: result.employeeId,
          strategy: result.strategy,
          linkedAt: now.toISOString(),
          linkedBy: user.id,
        };
        const updated = await deps.store.updateUser(user.id, { odooLink: link }, now);
        deps.logger.info(
          { userId: user.id, strategy: result.strategy, odooUserId: link.odooUserId, employeeId: link.employeeId },
          'odoo self-link made',
        );
        ctx.body = {
          user: publicUser(updated),
          odooLink: link,
          message: describeMatchFailure(result, person),
          evidence: {
            matchedOn: result.evidence.matchedOn,
            value: result.evidence.value,
            filledIn: [...result.evidence.filledIn],
            records: result.evidence.records.map((r) => ({ source: r.source, odooId: r.odooId, field: r.field, value: r.value, active: r.active })),
          },
        };
      },
    }),
  ];
}
