/**
 * Admin routes over API keys: list them and revoke one. Neither the keys nor their hashes are
 * ever shown; a key is shown once, when it is created (`odoo-sync apikey create`).
 * @module
 */
import { z } from 'zod';
import { listAllApiKeys, revokeApiKeyById } from '../../auth/api-keys.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema } from '../schemas.js';
import { callerOf } from '../state.js';

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

/** `GET /api/admin/api-keys` and `DELETE /api/admin/api-keys/:id`. */
export function adminApiKeyRoutes(deps: Pick<RouteDeps, 'store' | 'clock' | 'logger'>): AnyRoute[] {
  return [
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
      async handle(ctx, { params }) {
        const { key, revokedNow } = await revokeApiKeyById(deps.store, params.id, deps.clock);
        const adminId = callerOf(ctx).user.id;
        if (revokedNow) deps.logger.info({ apiKeyId: key.id, ownerId: key.userId, adminId }, 'api key revoked');
        ctx.body = key;
      },
    }),
  ];
}
