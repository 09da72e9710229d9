/**
 * The protocol side of {@link FakeEntraId}: its types, Entra's documents and error shape, and
 * small HTTP helpers.
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeGraphProfile } from './fake-graph.js';

/**
 * A person who can sign in to the fake directory, with the Microsoft Graph profile `/v1.0/me`
 * answers for them ({@link FakeGraphProfile}: aliases, `employeeId`…).
 */
export interface FakeEntraUser extends FakeGraphProfile {
  /** Object id (`oid`). */
  oid: string;
  /** Sign-in name (`preferred_username`). */
  upn: string;
  /** Display name. */
  name: string;
  /** E-mail (`email` claim, issued with the `email` scope); defaults to the UPN. */
  email?: string;
  /**
   * The directory whose tokens the user gets (`tid`). Defaults to the fake's own tenant; another
   * id is an account of another organisation signing in to a multi-tenant app.
   */
  tenantId?: string;
  /**
   * The directory the account belongs to (`utid` of `client_info`, the tenant of MSAL's home
   * account id). Defaults to `tenantId`; another id is a guest (B2B) account.
   */
  homeTenantId?: string;
  /** A line the fake's sign-in page ({@link FakeEntraId}'s person picker) shows under the name, e.g. what a demo person shows. */
  description?: string;
}

/** Options of {@link FakeEntraId.start}. */
export interface FakeEntraIdOptions {
  /** Directory id. @default a random GUID */
  tenantId?: string;
  /** The app's client id. @default a random GUID */
  clientId?: string;
  /** The app's client secret. @default a random string */
  clientSecret?: string;
  /** Registered (Web) redirect URIs. @default ['https://app.example.test/api/auth/callback'] */
  redirectUris?: readonly string[];
  /** Access token lifetime in seconds. @default 3600 */
  accessTokenLifetimeSec?: number;
  /** Refresh token lifetime in seconds; every refresh issues a new one (sliding). @default 7776000 (90 days) */
  refreshTokenLifetimeSec?: number;
  /** Authorization code lifetime in seconds. @default 600 */
  codeLifetimeSec?: number;
  /** Time source in milliseconds. @default Date.now */
  now?: () => number;
}

/**
 * An injected failure of the token endpoint: `reset` drops the connection before answering,
 * `unavailable` answers 503 `temporarily_unavailable` (Entra's JSON error), `bad_gateway`
 * answers 502 with an HTML page (what a gateway or proxy in front of Entra sends during an
 * outage), `hang` never answers (until `close`).
 */
export type FakeFailure = 'reset' | 'unavailable' | 'bad_gateway' | 'hang';

/** One request to the token endpoint. */
export interface FakeTokenRequest {
  /** `authorization_code` or `refresh_token` (or what the client sent). */
  grantType: string;
  /** The user concerned, when known. */
  oid: string | null;
  /** Scopes asked for. */
  scope: string;
  /** The answer: `ok`, an OAuth error code, or the {@link FakeFailure} injected. */
  outcome: string;
  /** Entra error number of an error answer. */
  errorNo: number | null;
  /** Time of the request (ms). */
  at: number;
}

/** What the fake sent back to the browser after `authorize`. */
export interface FakeAuthorizeResult {
  /** The authorization code (absent on error). */
  code?: string;
  /** The state, echoed. */
  state: string;
  /** `access_denied` and the like, when the user did not sign in. */
  error?: string;
  /** The full redirect URL with its query. */
  redirectUrl: string;
}

/** An authorization code the fake issued. @internal */
export interface CodeGrant {
  oid: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  challenge: string;
  challengeMethod: string;
  expiresAt: number;
  used: boolean;
}

/** A refresh token the fake issued. @internal */
export interface RefreshGrant {
  oid: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

/** Scopes of OpenID Connect itself (not a resource's). */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
/** Microsoft Graph's application id: the audience of Graph access tokens. */
export const GRAPH_AUDIENCE = '00000003-0000-0000-c000-000000000000';

/** What the token claims of one issue are made of. */
interface ClaimsInput {
  user: FakeEntraUser;
  oid: string;
  tid: string;
  /** Issued at (seconds). */
  iat: number;
  clientId: string;
}

/** The claims of a Graph access token as Entra issues it (v1 token, `scp` of the granted scopes). */
export function accessTokenClaimsOf(input: ClaimsInput & { lifetimeSec: number; granted: readonly string[] }): Record<string, unknown> {
  const { user, oid, tid, iat } = input;
  return {
    aud: GRAPH_AUDIENCE,
    iss: `https://sts.windows.net/${tid}/`,
    iat,
    nbf: iat,
    exp: iat + input.lifetimeSec,
    oid,
    tid,
    upn: user.upn,
    scp: input.granted.filter((s) => !OIDC_SCOPES.has(s) || s === 'email' || s === 'openid' || s === 'profile').join(' '),
    uti: randomBytes(12).toString('base64url'),
    appid: input.clientId,
  };
}

/** The claims of an id token (v2.0), before `email`, `nonce` and any override. */
export function idTokenClaimsOf(input: ClaimsInput): Record<string, unknown> {
  const { user, oid, tid, iat, clientId } = input;
  return {
    aud: clientId,
    iss: `https://login.microsoftonline.com/${tid}/v2.0`,
    iat,
    nbf: iat,
    exp: iat + 3600,
    name: user.name,
    oid,
    preferred_username: user.upn,
    sub: createHash('sha256').update(`${oid}|${clientId}`).digest('base64url').slice(0, 43),
    tid,
    ver: '2.0',
    uti: randomBytes(12).toString('base64url'),
  };
}

/** The OpenID configuration document of a fake tenant on `host`. */
export function openIdConfigurationOf(host: string, tenantId: string): Record<string, unknown> {
  const base = `https://${host}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `https://${host}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'email', 'oid'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
  };
}

/** Entra's error JSON: `{ error, error_description: 'AADSTS…', error_codes, timestamp, trace_id, correlation_id, error_uri }`. */
export function entraErrorBody(nowMs: number, error: string, errorNo: number, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date(nowMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${errorNo}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [errorNo],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${errorNo}`,
    ...extra,
  };
}

/** Sends a JSON answer as Entra does. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store, no-cache');
  res.setHeader('x-ms-request-id', randomUUID());
  res.end(text);
}

/** The request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
