/**
 * The package version, reported in the OpenAPI document and by `odoo-sync --version`.
 * @module
 */

/** Version of @odoo-sync/koa-server. */
export const VERSION = '0.0.0';
