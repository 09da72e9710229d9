/**
 * Odoo client (XML-RPC and JSON-2) with typed errors, retries and timeouts, and `OdooSource`,
 * the `@odoo-sync/core` source reader over Odoo's external API.
 *
 * @module @odoo-sync/odoo-adapter
 * @document ../README.md
 */
export {
  ConfigError,
  InputError,
  isOdooSyncError,
  OdooAccessError,
  OdooAuthError,
  OdooModelNotFoundError,
  OdooServerError,
  OdooSyncError,
  OdooTransportError,
  OdooValidationError,
  type OdooSyncErrorCode,
} from '@odoo-sync/core/errors';
export {
  OdooClient,
  type CallOptions,
  type FieldsGetOptions,
  type OdooContext,
  type OdooValues,
  type ReadOptions,
  type RequestOptions,
  type SearchOptions,
  type SearchReadOptions,
} from './client.js';
export { OdooSource, type OdooSourceOptions } from './source.js';
export type { OdooFieldInfo, OdooFields, OdooReference } from './values.js';
export type { OdooClientOptions } from './options.js';
export type { OdooProtocol, OdooVersion } from './transport.js';
export type { FetchLike } from './http.js';
