/**
 * Test doubles for code built on `Ms365TokenRefresher`: a protocol-level stand-in for
 * Microsoft Entra ID on 127.0.0.1 and a loopback MSAL network client.
 *
 * @module @odoo-sync/ms365-auth/testing
 */
export * from './fake-entra.js';
export * from './loopback-network.js';
