/**
 * The deployable odoo-sync service: configuration, the Koa HTTP API, scheduler, alerts,
 * metrics and the `odoo-sync` CLI (serve, sync, apikey, demo).
 *
 * Every name is listed here on purpose: this is what an embedder uses (create the app, start
 * the server, load the configuration, run the CLI), and growing it is a decision (a test
 * snapshots it).
 *
 * @module @odoo-sync/koa-server
 * @document ../README.md
 */

// The whole service: configuration in, a running server out.
export { formatConfigError, loadConfig, type ServerConfig } from './runtime/config.js';
export { startServer, type RunningServer, type StartServerOptions } from './runtime/composition.js';
export { createLogger, type ServerLogger } from './runtime/logger.js';

// The HTTP app alone, to mount over your own store, scheduler and reconciler.
export { createApp, type AppConfig, type CreateAppOptions, type OdooSyncApp } from './http/app.js';
export { answerClientErrors } from './http/client-errors.js';
export type { SignInOptions } from './http/routes/auth.js';
export { SessionManager } from './auth/session.js';
export { apiKeyAuthenticator, type Authenticator } from './auth/authenticate.js';
export { issueApiKey } from './auth/api-keys.js';

// The `odoo-sync` command.
export { runCli } from './cli/commands.js';

// Secrets that never print.
export { Secret } from './secret.js';
