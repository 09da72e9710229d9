/**
 * zod schemas of the user, sign-in and linking routes (requests and answers, and so the
 * OpenAPI document), and {@link publicUser}, the one shape a user is answered in.
 * @module
 */
import type { User } from '@odoo-sync/core';
import { z } from 'zod';
import { queryInt } from './schemas.js';

const isoDateTime = z.iso.datetime({ offset: true });
const odooId = z.number().int().positive();

/** A user's link to Odoo. */
export const odooLinkSchema = z.object({
  odooUserId: odooId.nullable().describe('`res.users` id, when known.'),
  employeeId: odooId.nullable().describe('`hr.employee` id, when known.'),
  strategy: z.enum(['email', 'employee_number', 'name', 'salesperson', 'manual']).describe('How the link was made (`manual`: by an admin).'),
  linkedAt: isoDateTime,
  linkedBy: z.string().describe('Id of the user who made the link (the user themself for self-service).'),
});

/** A user as the API shows it. */
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'user']),
  status: z.enum(['pending', 'approved', 'rejected']),
  odooLink: odooLinkSchema.nullable(),
  otherEmails: z.array(z.string()).describe('Other addresses of theirs Microsoft 365 vouches for (their sign-in name when it is not their e-mail); used to link them to Odoo.'),
  reauthRequired: z.boolean().describe('True when their Microsoft 365 session can no longer be refreshed silently.'),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** A user as the API shows it (every field of the stored user, copied). */
export function publicUser(user: User): z.infer<typeof userSchema> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    odooLink: user.odooLink ? { ...user.odooLink } : null,
    otherEmails: [...user.otherEmails],
    reauthRequired: user.reauthRequired,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** A person in Odoo proposed to link. */
export const suggestionSchema = z.object({
  odooUserId: odooId.optional(),
  employeeId: odooId.optional(),
  name: z.string(),
  email: z.string().nullable(),
  score: z.number().min(0).max(1),
});

/** `POST /api/auth/relink-odoo` body: nothing (a user links only themself). */
export const relinkBodySchema = z.object({}).strict();

/** `POST /api/auth/relink-odoo` answer. */
export const relinkResultSchema = z.object({
  user: userSchema,
  odooLink: odooLinkSchema,
  message: z.string().describe('One sentence saying how the link was made.'),
  evidence: z.object({
    matchedOn: z.enum(['email', 'name', 'employee_number']),
    value: z.string().describe('The normalised e-mail, name or employee number that matched.'),
    filledIn: z.array(z.enum(['odooUserId', 'employeeId'])),
    records: z.array(
      z.object({
        source: z.enum(['user', 'employee', 'salesperson']),
        odooId,
        field: z.enum(['login', 'email', 'work_email', 'name', 'employee_number']),
        value: z.string(),
        active: z.boolean(),
      }),
    ),
  }),
});

/** `GET /api/admin/users` query. */
export const usersQuerySchema = z
  .object({
    status: z.enum(['pending', 'approved', 'rejected']).optional().describe('Only users with this status.'),
    role: z.enum(['admin', 'user']).optional().describe('Only users with this role.'),
    limit: queryInt(1, 1000, 'Page size, 1–1000 (default 50).').optional(),
    cursor: z.string().min(1).max(1000).optional().describe('`nextCursor` of the previous page.'),
  })
  .strict();

/** A page of users. */
export const usersPageSchema = z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() });

/** `/api/admin/users/:id` path. */
export const userParamsSchema = z.object({ id: z.string().min(1).max(200).describe('The user id.') }).strict();

/** `PUT /api/admin/users/:id/role` body. */
export const roleBodySchema = z.object({ role: z.enum(['admin', 'user']) }).strict();

/** `PUT /api/admin/users/:id/odoo-link` body. */
export const odooLinkBodySchema = z
  .object({
    odooUserId: odooId.optional().describe('A synced `res.users` id.'),
    employeeId: odooId.optional().describe('A synced `hr.employee` id.'),
    notInOdoo: z
      .literal(true)
      .optional()
      .describe('The person has no Odoo identity: stores a hand-made link to nobody, so that nothing links them automatically.'),
  })
  .strict()
  .refine((body) => (body.notInOdoo === true) !== (body.odooUserId !== undefined || body.employeeId !== undefined), {
    error: 'give odooUserId, employeeId or both — or notInOdoo: true alone',
  });

/** `GET /api/admin/odoo-candidates` query. */
export const candidatesQuerySchema = z
  .object({
    q: z.string().trim().min(1, 'must not be empty').max(200).describe('Part of a name, login or e-mail.'),
    limit: queryInt(1, 50, 'Most candidates, 1–50 (default 20).').optional(),
  })
  .strict();

/** `GET /api/admin/odoo-candidates` answer. */
export const candidatesSchema = z.object({
  items: z.array(
    z.object({
      odooUserId: odooId.nullable(),
      employeeId: odooId.nullable(),
      name: z.string(),
      login: z.string().nullable(),
      email: z.string().nullable(),
      workEmail: z.string().nullable(),
      active: z.boolean().describe('False when archived in Odoo.'),
      score: z.number().min(0).max(1),
    }),
  ),
});

/** `GET /api/auth/login` query. */
export const loginQuerySchema = z
  .object({
    returnTo: z.string().max(2000).optional().describe('A path on this site to return to after sign-in, e.g. `/deals/42` (default `/`).'),
    loginHint: z.string().max(320).optional().describe('Pre-fills the Microsoft account picker.'),
  })
  .strict();

/** `GET /api/auth/callback` query: what Microsoft sends back (other parameters are ignored). */
export const callbackQuerySchema = z.object({
  code: z.string().max(8192).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
});

/** Microsoft 365 session health in `GET /api/auth/me`. */
export const ms365StatusSchema = z.object({
  state: z
    .enum(['signed_in', 'reauth_required', 'signed_out', 'unreadable'])
    .describe('`signed_in`: refreshed silently; `reauth_required`: must sign in again; `signed_out`: no session; `unreadable`: the stored session cannot be decrypted (sign in again).'),
  account: z.object({ username: z.string(), name: z.string().nullable(), tenantId: z.string() }).nullable(),
  accessTokenExpiresAt: isoDateTime.nullable(),
  reauth: z.object({ at: isoDateTime, reason: z.string() }).nullable().describe('Why the session ended.'),
  loginUrl: z.string().nullable().describe('Where to sign in again, unless `signed_in`.'),
});

/** `GET /api/auth/me` answer. */
export const meSchema = z.object({
  user: userSchema,
  authMethod: z.string().describe('`session` (cookie) or `api_key`.'),
  ms365: ms365StatusSchema.nullable().describe('`null` when Microsoft 365 sign-in is not configured.'),
  csrfToken: z
    .string()
    .nullable()
    .describe('With the session cookie: the token every write made with it sends as `X-CSRF-Token` (pages hold it in `<meta name="odoo-sync-csrf">`); `null` with an API key.'),
});

/** `GET /api/auth/ms365/session` answer. */
export const ms365TokenCheckSchema = z.object({
  state: z.literal('signed_in'),
  accessTokenExpiresAt: isoDateTime.nullable(),
  scopes: z.array(z.string()),
  fromCache: z.boolean().describe('False when the token was just refreshed.'),
});
