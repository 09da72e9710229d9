/**
 * Admin routes over API keys: create one for a user, list them and revoke one. Neither the
 * keys nor their hashes are ever shown again; a key is shown once, in the answer that creates
 * it (or by `odoo-sync apikey create`).
 * @module
 */
import { z } from 'zod';
import { createApiKeyForUser, listAllApiKeys, revokeApiKeyById } from '../../auth/api-keys.js';
import { actorOf, apiKeyActivity } from '../activity-events.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema } from '../schemas.js';
import { callerOf, noteActivity } from '../state.js';

/** An API key as admins see it. */
export const apiKeySchema = z
  .object({
    id: z.string().describe('Stable id, for `DELETE /api/admin/api-keys/:id`.'),
    userId: z.string().describe("The owner's user id."),
    email: z.string().describe("The owner's e-mail."),
    role: z.enum(['admin', 'user']).describe("The owner's role."),
    label: z.string().describe('What the key is for (`cli`, `bootstrap`, or the label given at creation).'),
    createdAt: z.string().describe('ISO-8601 creation time.'),
    lastUsedAt: z.string().nullable().describe('ISO-8601 time of last use, or null.'),
    revokedAt: z.string().nullable().describe('ISO-8601 revocation time, or null while the key works.'),
  })
  .strict();

/** `GET /api/admin/api-keys` answer. */
export const apiKeysSchema = z.object({ items: z.array(apiKeySchema) });

/** `/api/admin/api-keys/:id` path. */
export const apiKeyParamsSchema = z.object({ id: z.string().min(1).max(200).describe('The key id.') }).strict();

/** `POST /api/admin/api-keys` body. */
export const createApiKeyBodySchema = z
  .object({
    userId: z.string().min(1).max(200).describe('The user the key acts as (their role and approval apply).'),
    label: z.string().trim().min(1).max(100).describe('What the key is for, e.g. `reporting script`.'),
  })
  .strict();

/** `POST /api/admin/api-keys` answer: the key, shown this once. */
export const createdApiKeySchema = z
  .object({
    key: z.string().describe('The API key (`osk_…`). Shown only in this answer: store it now; it cannot be read again.'),
    apiKey: apiKeySchema,
  })
  .strict();

/** `POST /api/admin/api-keys`, `GET /api/admin/api-keys` and `DELETE /api/admin/api-keys/:id`. */
export function adminApiKeyRoutes(deps: Pick<RouteDeps, 'store' | 'clock' | 'logger'>): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/admin/api-keys',
      operationId: 'createApiKey',
      summary: 'Creates an API key for a user; the key is in this answer only.',
      description:
        'The key acts as the user `userId` (their role and approval apply). It is shown once, in this answer, and stored only as its hash. ' +
        '404 for an unknown user; 409 for a rejected one.',
      tag: 'admin',
      access: 'admin',
      body: createApiKeyBodySchema,
      responses: {
        201: { description: 'Created: the key (shown once) and its record.', schema: createdApiKeySchema },
        404: { description: 'No such user (`not_found`).', schema: errorBodySchema },
        409: { description: 'The user is rejected (`conflict`).', schema: errorBodySchema },
      },
      activity: { types: ['api_key_created'], mode: 'durable' },
      async handle(ctx, { body }) {
        const created = await createApiKeyForUser(deps.store, body.userId, body.label, deps.clock);
        const admin = callerOf(ctx).user;
        deps.logger.info({ apiKeyId: created.view.id, ownerId: created.view.userId, adminId: admin.id }, 'api key created');
        noteActivity(ctx, apiKeyActivity(actorOf(admin), created.view, 'created'));
        ctx.status = 201;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { key: created.key, apiKey: created.view };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/admin/api-keys',
      operationId: 'listApiKeys',
      summary: 'Every API key (revoked ones included) with its owner and dates; never the key or its hash.',
      tag: 'admin',
      access: 'admin',
      responses: { 200: { description: 'The keys, oldest owner first.', schema: apiKeysSchema } },
      async handle(ctx) {
        ctx.body = { items: await listAllApiKeys(deps.store) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/admin/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revokes an API key: it stops working at once, on every replica. Revoking a revoked key changes nothing.',
      tag: 'admin',
      access: 'admin',
      params: apiKeyParamsSchema,
      responses: {
        200: { description: 'The key, with `revokedAt` set.', schema: apiKeySchema },
        404: { description: 'No such key (`not_found`).', schema: errorBodySchema },
      },
      activity: { types: ['api_key_revoked'], mode: 'durable' },
      async handle(ctx, { params }) {
        const { key, revokedNow } = await revokeApiKeyById(deps.store, params.id, deps.clock);
        const admin = callerOf(ctx).user;
        if (revokedNow) {
          deps.logger.info({ apiKeyId: key.id, ownerId: key.userId, adminId: admin.id }, 'api key revoked');
          noteActivity(ctx, apiKeyActivity(actorOf(admin), key, 'revoked'));
        }
        ctx.body = key;
      },
    }),
  ];
}
