/**
 * Self-service linking: a signed-in person links themself to their Odoo user and employee.
 * @module
 */
import { describeMatch, type IdentityNotMatched, type JsonValue, type PersonToMatch, type User } from '@odoo-sync/core';
import { ConflictError } from '@odoo-sync/core/errors';
import type { ApiErrorBody } from '../errors.js';
import type { OdooDirectoryCache } from '../../linking/odoo-directory.js';
import { freshEvidence, linkToOdoo, personOf, type ProfileReader } from '../../linking/link.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema } from '../schemas.js';
import { callerOf, noteActivity, type RequestContext } from '../state.js';
import { actorOf, linkActivity } from '../activity-events.js';
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

function answerFailure(ctx: RequestContext, result: IdentityNotMatched, person: PersonToMatch): void {
  const ambiguous = result.status === 'ambiguous';
  const body: ApiErrorBody = {
    error: {
      code: ambiguous ? 'conflict' : 'not_found',
      message: describeMatch(result, person),
      details: failureDetails(result),
    },
  };
  ctx.status = ambiguous ? 409 : 404;
  ctx.body = body;
}

/** What a sign-in provider says about a person beyond the stored user (not kept in the store). */

export function linkingRoutes(deps: Pick<RouteDeps, 'store' | 'clock' | 'logger'>, directory: OdooDirectoryCache, profiles: ProfileReader | null = null): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/auth/relink-odoo',
      operationId: 'relinkOdoo',
      summary: 'Links the caller to their Odoo user and employee (self-service).',
      description:
        'Reads the caller\'s Microsoft 365 profile again (their aliases and employee id) when they signed in with it, then tries ' +
        'e-mail (and those aliases), employee id (with `LINK_EMPLOYEE_ID_FIELD`), name, then opportunity salesperson. ' +
        '404 when nobody fits and 409 when several people fit or ' +
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
      activity: { types: ['user_linked', 'user_relinked'], mode: 'durable' },
      async handle(ctx) {
        const principal = callerOf(ctx);
        const user: User = principal.user;
        if (user.odooLink?.strategy === 'manual') {
          const nobody = user.odooLink.odooUserId === null && user.odooLink.employeeId === null;
          throw new ConflictError(nobody ? 'An admin noted that you are not in Odoo; ask an admin to change it.' : 'An admin linked you to Odoo by hand; ask an admin to change it.', {
            hint: 'An admin can change or remove the link (PUT or DELETE /api/admin/users/:id/odoo-link).',
          });
        }
        const { user: current, evidence } = await freshEvidence(deps, profiles, user);
        const person = personOf(current, evidence);
        const attempt = await linkToOdoo(deps, directory, current, current.id, evidence);
        if (!attempt.linked) {
          answerFailure(ctx, attempt.result, person);
          return;
        }
        const { user: updated, link, result } = attempt;
        const linked = linkActivity(actorOf(updated), updated, current.odooLink, false);
        if (linked) noteActivity(ctx, linked);
        ctx.body = {
          user: publicUser(updated),
          odooLink: link,
          message: describeMatch(result, person),
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
