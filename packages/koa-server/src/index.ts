/**
 * The deployable odoo-sync service: configuration, the Koa HTTP API, scheduler, alerts,
 * metrics and the `odoo-sync` CLI (serve, sync, apikey, demo).
 *
 * @module @odoo-sync/koa-server
 * @document ../README.md
 */
export * from './app.js';
export * from './api-keys.js';
export * from './auth.js';
export * from './client-errors.js';
export * from './config.js';
export * from './http-errors.js';
export * from './logger.js';
export * from './metrics.js';
export * from './openapi.js';
export * from './ports.js';
export * from './request.js';
export * from './route.js';
export * from './schemas.js';
export * from './secret.js';
export * from './session.js';
export * from './sign-in.js';
export * from './odoo-directory.js';
export * from './webhook-queue.js';
export * from './user-schemas.js';
export { type Ms365SignInProvider, type SignInOptions } from './routes/auth.js';
export { linkIfUnlinked, linkToOdoo, type OdooLinkAttempt, personOf } from './routes/linking.js';
export * from './version.js';
export { constantTimeEqual } from './routes/webhook.js';
export { DASHBOARD_CSP } from './routes/dashboard.js';
export * from './notifier.js';
export * from './runtime.js';
export * from './commands.js';
