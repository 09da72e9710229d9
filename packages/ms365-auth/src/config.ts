/**
 * What a server needs to check its Microsoft 365 configuration, without loading MSAL: the
 * token keyring, tenant ids, and the addresses a Graph profile vouches for. Import it as
 * `@odoo-sync/ms365-auth/config`.
 * @module
 */
export { type Keyring, parseKeyring, keyringOf, generateTokenKey } from './keyring.js';
export { CONSUMER_TENANT_ID, isTenantGuid } from './tenants.js';
export { type Ms365Profile, vouchedAddresses } from './graph-profile.js';
