/**
 * Test doubles for code built on `Ms365TokenRefresher`: a protocol-level stand-in for
 * Microsoft Entra ID on 127.0.0.1 and a loopback MSAL network client.
 *
 * @module @odoo-sync/ms365-auth/testing
 */
export {
  FakeEntraId,
  type FakeAuthorizeResult,
  type FakeEntraIdOptions,
  type FakeEntraUser,
  type FakeFailure,
  type FakeTokenRequest,
} from './fake-entra.js';
export { FakeGraph, type FakeGraphFailure, type FakeGraphProfile, type FakeGraphRequest, type FakeGraphUser, type IssuedAccessToken } from './fake-graph.js';
export { LoopbackNetworkClient, type LoopbackNetworkClientOptions, type LoopbackRequest } from './loopback-network.js';
