/**
 * `POST /signin/api-key`: the operators' form on the sign-in page. An API key of an approved
 * person starts a browser session for them (the same session as after a Microsoft 365 sign-in),
 * so operators without a Microsoft 365 account use the pages too. The key is read from the form
 * body, never from the URL, and never logged.
 * @module
 */
import { InputError } from '@odoo-sync/core/errors';
import { hashApiKey } from '../auth/api-keys.js';
import { assertSameOriginRequest } from '../auth/csrf.js';
import { readSessionCookie, setSessionCookie } from '../auth/session.js';
import { HttpProblem } from '../http/errors.js';
import type { SignInOptions } from '../http/routes/auth.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../http/route.js';
import { noteActivity, type RequestContext } from '../http/state.js';
import { signedIn } from '../http/activity-events.js';
import { redirectTo, safeReturnTo } from './viewer.js';

const FORM_LIMIT_BYTES = 4096;

/** Reads an `application/x-www-form-urlencoded` body of at most 4 KiB. */
async function readForm(ctx: RequestContext): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new HttpProblem('unsupported_media_type', 'Send the sign-in form as application/x-www-form-urlencoded.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT_BYTES) throw new HttpProblem('payload_too_large', `The sign-in form is over ${FORM_LIMIT_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The API-key sign-in route, when sessions are configured. */
export function apiKeySignInRoutes(deps: Pick<RouteDeps, 'store' | 'logger'>, signIn: SignInOptions | null): AnyRoute[] {
  if (signIn === null) return [];
  return [
    defineRoute({
      method: 'POST',
      path: '/signin/api-key',
      operationId: 'signInWithApiKey',
      summary: 'The sign-in page\'s API-key form: starts a browser session for the key\'s approved person.',
      description:
        'Form fields `key` and `returnTo`. Redirects (303) to `returnTo` with the session cookie, or back to `/signin?reason=key_invalid` ' +
        'for an unknown or revoked key or a person who is not approved. 403 `csrf_rejected` from another site.',
      tag: 'pages',
      access: 'public',
      activity: { types: ['user_signed_in'], mode: 'durable' },
      responses: { 303: { description: 'To `returnTo` (signed in) or back to the sign-in page.' } },
      async handle(ctx) {
        assertSameOriginRequest(ctx, signIn.trustedOrigins ?? []);
        const form = await readForm(ctx);
        const returnTo = safeReturnTo(form.get('returnTo'));
        const given = (form.get('key') ?? '').trim();
        if (given.length > 200) throw new InputError('The API key is too long.', [{ path: 'key', message: 'at most 200 characters' }]);
        const key = given === '' ? null : await deps.store.findApiKeyByHash(hashApiKey(given));
        const user = key === null ? null : await deps.store.getUser(key.userId);
        if (key === null || user === null || user.status !== 'approved') {
          redirectTo(ctx, `/signin?reason=key_invalid&returnTo=${encodeURIComponent(returnTo)}`);
          return;
        }
        const previous = readSessionCookie(ctx);
        if (previous !== undefined) await signIn.sessions.destroy(previous);
        const { id, session } = await signIn.sessions.create(user.id);
        setSessionCookie(ctx, id, session.expiresAt);
        ctx.state.principal = { user, method: 'api_key_form', apiKeyId: key.id };
        noteActivity(ctx, { ...signedIn(user, 'api_key'), metadata: { method: 'api_key', apiKeyId: key.id, status: user.status, role: user.role } });
        deps.logger.info({ userId: user.id, apiKeyId: key.id }, 'signed in with an API key');
        redirectTo(ctx, returnTo);
      },
    }),
  ];
}
