/**
 * The events {@link Ms365TokenRefresher} emits.
 * @module
 */
import type { TokenUnreadableError } from '@odoo-sync/core/errors';
import { EventEmitter } from 'eventemitter3';
import type { ReauthMark } from './cache-payload.js';
import type { CacheWriteReport } from './cache-plugin.js';
import type { GraphProfileFailure } from './graph-profile.js';

/**
 * Events of {@link Ms365TokenRefresher}, named `<noun>:<past-tense verb>`. Listeners must not
 * throw. The events renamed in 0.2 are still emitted under their former names (marked
 * deprecated) until the next minor version.
 */
export interface Ms365Events {
  /** A user signed in (a new cache was stored). */
  'session:started': (event: { userId: string; homeAccountId: string; tenantId: string }) => void;
  /** An access token was obtained from Entra (not from the cache). */
  'token:refreshed': (event: { userId: string; expiresAt: string | null; forced: boolean }) => void;
  /** A user's session could not be refreshed; they were marked re-auth-required. */
  'session:invalidated': (event: { userId: string; mark: ReauthMark; correlationId: string | null }) => void;
  /** A stored cache could not be decrypted; the user counts as signed out. */
  'session:lost': (event: { userId: string; error: TokenUnreadableError }) => void;
  /** A transient failure is being retried. */
  'request:retried': (event: { userId: string | null; attempt: number; retriesLeft: number; errorCode: string }) => void;
  /** Every cache write: written, merged after a version conflict, or dropped for a newer one. */
  'cache:written': (report: CacheWriteReport) => void;
  /**
   * The sign-in's Microsoft Graph profile read: `read`, `failed` (with why; the sign-in went
   * on without it) or `skipped` (turned off, or the sign-in's scopes cannot read it).
   */
  'profile:read': (event: { outcome: 'read' | 'failed' | 'skipped'; reason: GraphProfileFailure | null }) => void;
  /** A user was signed out. */
  'session:ended': (event: { userId: string }) => void;
  /** @deprecated Renamed `session:started`; emitted under this name too until the next minor version. */
  signed_in: (event: { userId: string; homeAccountId: string; tenantId: string }) => void;
  /** @deprecated Renamed `token:refreshed`; emitted under this name too until the next minor version. */
  refreshed: (event: { userId: string; expiresAt: string | null; forced: boolean }) => void;
  /** @deprecated Renamed `session:invalidated`; emitted under this name too until the next minor version. */
  reauth_required: (event: { userId: string; mark: ReauthMark; correlationId: string | null }) => void;
  /** @deprecated Renamed `session:lost`; emitted under this name too until the next minor version. */
  token_unreadable: (event: { userId: string; error: TokenUnreadableError }) => void;
  /** @deprecated Renamed `request:retried`; emitted under this name too until the next minor version. */
  retry: (event: { userId: string | null; attempt: number; retriesLeft: number; errorCode: string }) => void;
  /** @deprecated Renamed `cache:written`; emitted under this name too until the next minor version. */
  cache_write: (report: CacheWriteReport) => void;
  /** @deprecated Renamed `session:ended`; emitted under this name too until the next minor version. */
  signed_out: (event: { userId: string }) => void;
}

/** The former name of each renamed event, by its current name. */
const FORMER_NAMES: Readonly<Record<string, keyof Ms365Events>> = {
  'session:started': 'signed_in',
  'token:refreshed': 'refreshed',
  'session:invalidated': 'reauth_required',
  'session:lost': 'token_unreadable',
  'request:retried': 'retry',
  'cache:written': 'cache_write',
  'session:ended': 'signed_out',
};

/**
 * The emitter of {@link Ms365Events}: after a renamed event, it emits the event again under its
 * former name (with the same arguments), until the next minor version.
 */
export class Ms365EventEmitter extends EventEmitter<Ms365Events> {
  /** Emits `event`, then its former name if it was renamed; whether anyone listened to either. */
  override emit<T extends EventEmitter.EventNames<Ms365Events>>(event: T, ...args: EventEmitter.EventArgs<Ms365Events, T>): boolean {
    const heard = super.emit(event, ...args);
    const former = typeof event === 'string' ? FORMER_NAMES[event] : undefined;
    if (former === undefined) return heard;
    return super.emit(former as T, ...args) || heard;
  }
}

/** Where the parts of the sign-in service emit their {@link Ms365Events} (the public façade). */
export type Ms365Emitter = EventEmitter<Ms365Events>;
