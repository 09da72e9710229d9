/**
 * The events {@link Ms365TokenRefresher} emits.
 * @module
 */
import type { TokenUnreadableError } from '@odoo-sync/core/errors';
import type { EventEmitter } from 'eventemitter3';
import type { ReauthMark } from './cache-payload.js';
import type { CacheWriteReport } from './cache-plugin.js';
import type { GraphProfileFailure } from './graph-profile.js';

/** Events of {@link Ms365TokenRefresher}. Listeners must not throw. */
export interface Ms365Events {
  /** A user signed in (a new cache was stored). */
  signed_in: (event: { userId: string; homeAccountId: string; tenantId: string }) => void;
  /** An access token was obtained from Entra (not from the cache). */
  refreshed: (event: { userId: string; expiresAt: string | null; forced: boolean }) => void;
  /** A user's session could not be refreshed; they were marked re-auth-required. */
  reauth_required: (event: { userId: string; mark: ReauthMark; correlationId: string | null }) => void;
  /** A stored cache could not be decrypted; the user counts as signed out. */
  token_unreadable: (event: { userId: string; error: TokenUnreadableError }) => void;
  /** A transient failure is being retried. */
  retry: (event: { userId: string | null; attempt: number; retriesLeft: number; errorCode: string }) => void;
  /** Every cache write: written, merged after a version conflict, or dropped for a newer one. */
  cache_write: (report: CacheWriteReport) => void;
  /**
   * The sign-in's Microsoft Graph profile read: `read`, `failed` (with why; the sign-in went
   * on without it) or `skipped` (turned off, or the sign-in's scopes cannot read it).
   */
  graph_profile: (event: { outcome: 'read' | 'failed' | 'skipped'; reason: GraphProfileFailure | null }) => void;
  /** A user was signed out. */
  signed_out: (event: { userId: string }) => void;
}

/** Where the parts of the sign-in service emit their {@link Ms365Events} (the public façade). */
export type Ms365Emitter = EventEmitter<Ms365Events>;
