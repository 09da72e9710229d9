/**
 * The deployable odoo-sync service: configuration, the Koa HTTP API, scheduler, alerts,
 * metrics and the `odoo-sync` CLI (serve, sync, apikey, demo).
 *
 * @module @odoo-sync/koa-server
 * @document ../README.md
 */
export * from './http/app.js';
export * from './auth/api-keys.js';
export * from './auth/authenticate.js';
export * from './http/client-errors.js';
export * from './runtime/config.js';
export * from './http/errors.js';
export * from './runtime/logger.js';
export * from './runtime/metrics.js';
export * from './http/openapi.js';
export * from './http/ports.js';
export * from './http/request.js';
export * from './http/route.js';
export * from './http/schemas.js';
export * from './secret.js';
export * from './auth/session.js';
export * from './auth/sign-in.js';
export * from './linking/odoo-directory.js';
export * from './runtime/webhook-queue.js';
export * from './http/user-schemas.js';
export { type Ms365SignInProvider, type SignInOptions } from './http/routes/auth.js';
export { linkIfUnlinked, linkToOdoo, type OdooLinkAttempt, personOf } from './http/routes/linking.js';
export * from './version.js';
export { constantTimeEqual } from './http/routes/webhook.js';
export { DASHBOARD_CSP } from './http/routes/dashboard.js';
export * from './runtime/notifier.js';
export * from './runtime/composition.js';
export * from './cli/commands.js';
