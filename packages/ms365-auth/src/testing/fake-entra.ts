/**
 * A protocol-level stand-in for Microsoft Entra ID (the v2.0 endpoints MSAL uses), on
 * 127.0.0.1, for tests of anything built on `Ms365TokenRefresher`.
 * @module
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessTokenClaimsOf, type CodeGrant, entraErrorBody, type FakeAuthorizeResult, type FakeEntraIdOptions, type FakeEntraUser, type FakeFailure } from './fake-entra-protocol.js';
import { type FakeTokenRequest, idTokenClaimsOf, json, OIDC_SCOPES, openIdConfigurationOf, readBody, type RefreshGrant } from './fake-entra-protocol.js';
import { FakeGraph } from './fake-graph.js';
import { LoopbackNetworkClient } from './loopback-network.js';
import { sendPersonPicker } from './person-picker.js';

export type { FakeAuthorizeResult, FakeEntraIdOptions, FakeEntraUser, FakeFailure, FakeTokenRequest } from './fake-entra-protocol.js';

/**
 * A fake Entra ID that speaks the protocol MSAL speaks: OpenID discovery, instance discovery,
 * JWKS, and a token endpoint that redeems authorization codes (with PKCE S256 verification and
 * single use) and refresh tokens (sliding lifetime, revocation, MFA and consent challenges),
 * issuing RS256-signed id tokens (with `nonce`), access tokens and `client_info` as Entra does.
 * Errors carry Entra's shape: `{ error, error_description: 'AADSTS…', error_codes, suberror,
 * timestamp, trace_id, correlation_id }`.
 *
 * The browser part is a method: {@link FakeEntraId.authorize} takes the login URL your app made
 * and the user who signs in, and returns the redirect back to your callback.
 *
 * @example
 * ```ts
 * const entra = await FakeEntraId.start();
 * const ana = entra.addUser({ upn: 'ana@contoso.test', name: 'Ana Souza' });
 * const refresher = new Ms365TokenRefresher({ ...entra.refresherOptions(), redirectUri, store, keyring });
 * const { url } = await refresher.loginUrl();
 * const { code, state } = entra.authorize(url, ana.oid);
 * const me = await refresher.handleCallback({ code, state });
 * ```
 */
export class FakeEntraId {
  /** Directory id. */
  readonly tenantId: string;
  /** The app's client id. */
  readonly clientId: string;
  /** The app's client secret. */
  readonly clientSecret: string;
  /** Registered redirect URIs. */
  readonly redirectUris: readonly string[];
  /** Every token endpoint request, in order. */
  readonly tokenRequests: FakeTokenRequest[] = [];
  /** Every secret issued (codes, access, refresh and id tokens), for "never stored in plain text" checks. */
  readonly issuedSecrets: string[] = [];
  /**
   * Microsoft Graph's `GET /v1.0/me` on this server (at {@link FakeEntraId.graphBaseUrl}): the
   * profile of the person whose access token (issued here, unexpired, with `User.Read`) is
   * sent, `$select` honoured; Graph's 401/403 error JSON otherwise. `graph.fail(mode)` makes it fail.
   */
  readonly graph: FakeGraph;

  readonly #server: Server;
  readonly #port: number;
  readonly #privateKey: KeyObject;
  readonly #jwk: Record<string, unknown>;
  readonly #kid: string;
  readonly #users = new Map<string, FakeEntraUser>();
  readonly #codes = new Map<string, CodeGrant>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  readonly #mfaRequired = new Set<string>();
  readonly #failures: FakeFailure[] = [];
  #idTokenOverride: Record<string, unknown> | null = null;
  readonly #options: Required<Pick<FakeEntraIdOptions, 'accessTokenLifetimeSec' | 'refreshTokenLifetimeSec' | 'codeLifetimeSec'>> & {
    now: () => number;
  };

  private constructor(server: Server, port: number, options: FakeEntraIdOptions) {
    this.#server = server;
    this.#port = port;
    this.tenantId = options.tenantId ?? randomUUID();
    this.clientId = options.clientId ?? randomUUID();
    this.clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
    this.redirectUris = [...(options.redirectUris ?? ['https://app.example.test/api/auth/callback'])];
    this.#options = {
      accessTokenLifetimeSec: options.accessTokenLifetimeSec ?? 3600,
      refreshTokenLifetimeSec: options.refreshTokenLifetimeSec ?? 90 * 86_400,
      codeLifetimeSec: options.codeLifetimeSec ?? 600,
      now: options.now ?? (() => Date.now()),
    };
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.#kid = randomBytes(8).toString('hex');
    this.#jwk = { ...publicKey.export({ format: 'jwk' }), kid: this.#kid, use: 'sig', alg: 'RS256' };
    this.graph = new FakeGraph((oid) => this.#users.get(oid), this.#options.now);
  }

  /** Where Microsoft Graph is on this server: `http://127.0.0.1:<port>` (the `graphBaseUrl` option of `Ms365TokenRefresher`). */
  get graphBaseUrl(): string {
    return `http://${this.host}`;
  }

  /** Starts the fake on 127.0.0.1 with a port chosen by the OS. */
  static async start(options: FakeEntraIdOptions = {}): Promise<FakeEntraId> {
    let instance: FakeEntraId | undefined;
    const server = createServer((req, res) => {
      if (!instance) {
        res.statusCode = 503;
        res.end();
        return;
      }
      instance.#handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    instance = new FakeEntraId(server, port, options);
    return instance;
  }

  /** The server's port on 127.0.0.1. */
  get port(): number {
    return this.#port;
  }

  /** `127.0.0.1:<port>`: the authority host. */
  get host(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** The authority MSAL is pointed at: `https://127.0.0.1:<port>/<tenant>` (MSAL requires https; the network client speaks HTTP). */
  get authority(): string {
    return `https://${this.host}/${this.tenantId}`;
  }

  /** A login URL a browser can open: MSAL's `https://127.0.0.1:<port>` made `http:` (others unchanged). Without `login_hint`, a person picker shows. */
  browserUrl(url: string): string {
    const prefix = `https://${this.host}/`;
    return url.startsWith(prefix) ? `http://${this.host}/${url.slice(prefix.length)}` : url;
  }

  /** The OpenID configuration document, as served at `/<tenant>/v2.0/.well-known/openid-configuration`. */
  openIdConfiguration(): Record<string, unknown> {
    return openIdConfigurationOf(this.host, this.tenantId);
  }

  /** The instance discovery answer, as served at `/common/discovery/instance`. */
  cloudDiscovery(): Record<string, unknown> {
    return {
      tenant_discovery_endpoint: `https://${this.host}/${this.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: this.host, preferred_cache: this.host, aliases: [this.host] }],
    };
  }

  /** The signing keys (JWKS), as served at `/<tenant>/discovery/v2.0/keys`. */
  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.#jwk] };
  }

  /**
   * A network client for MSAL that reaches only this server.
   * @param routeHosts - Other hosts to route here, e.g. `['login.microsoftonline.com']`.
   */
  networkClient(routeHosts: readonly string[] = []): LoopbackNetworkClient {
    return new LoopbackNetworkClient({ port: this.#port, routeHosts });
  }

  /**
   * The `Ms365TokenRefresher` options that point MSAL here: the authority on 127.0.0.1, listed
   * in `knownAuthorities`, with `authorityMetadata` and `cloudDiscoveryMetadata` inline (so MSAL
   * makes no discovery request), a loopback network client, and Graph on this server.
   */
  refresherOptions(): {
    clientId: string;
    clientSecret: string;
    tenantId: string;
    authority: string;
    knownAuthorities: string[];
    authorityMetadata: string;
    cloudDiscoveryMetadata: string;
    networkClient: LoopbackNetworkClient;
    graphBaseUrl: string;
  } {
    return {
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      tenantId: this.tenantId,
      authority: this.authority,
      knownAuthorities: [this.host],
      authorityMetadata: JSON.stringify(this.openIdConfiguration()),
      cloudDiscoveryMetadata: JSON.stringify(this.cloudDiscovery()),
      networkClient: this.networkClient(),
      graphBaseUrl: this.graphBaseUrl,
    };
  }

  /**
   * Adds a user to the directory (or, with `tenantId`, a user of another directory that signs
   * in through this one). Giving an existing `oid` again replaces that user: e.g. the same
   * account with a new e-mail address.
   */
  addUser(user: Partial<FakeEntraUser> & { upn: string; name: string }): FakeEntraUser {
    const full: FakeEntraUser = {
      ...user,
      oid: user.oid ?? randomUUID(),
      upn: user.upn,
      name: user.name,
      email: user.email ?? user.upn,
      ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
      ...(user.homeTenantId === undefined ? {} : { homeTenantId: user.homeTenantId }),
    };
    this.#users.set(full.oid, full);
    return full;
  }

  /**
   * The browser and the user at Microsoft's sign-in page: checks the login URL like
   * `/authorize` does (client id, registered redirect URI, `response_type=code`, PKCE S256,
   * `openid`), signs `oid` in, consents to the scopes, and returns the redirect to the app.
   * Throws for a URL Entra would refuse to show (e.g. AADSTS50011 redirect URI mismatch).
   */
  authorize(loginUrl: string, oid: string): FakeAuthorizeResult {
    const url = new URL(loginUrl);
    const q = url.searchParams;
    const state = q.get('state') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (url.host !== this.host && url.host !== 'login.microsoftonline.com') throw new Error(`authorize: unknown host ${url.host}`);
    if (!url.pathname.endsWith('/oauth2/v2.0/authorize')) throw new Error('authorize: not the authorize endpoint');
    if (q.get('client_id') !== this.clientId) throw new Error('AADSTS700016: Application not found in the directory.');
    if (!this.redirectUris.includes(redirectUri)) throw new Error('AADSTS50011: The redirect URI does not match the redirect URIs configured for the application.');
    if (q.get('response_type') !== 'code') throw new Error('AADSTS900144: response_type must be code.');
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256') throw new Error('AADSTS9002325: PKCE S256 is required.');
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.includes('openid')) throw new Error('AADSTS900144: openid scope required.');
    const user = this.#users.get(oid);
    if (!user) throw new Error(`authorize: no user ${oid}`);
    const code = `0.A${randomBytes(48).toString('base64url')}`;
    this.issuedSecrets.push(code);
    this.#codes.set(code, {
      oid,
      clientId: this.clientId,
      redirectUri,
      scopes,
      nonce: q.get('nonce'),
      challenge,
      challengeMethod: 'S256',
      expiresAt: this.#options.now() + this.#options.codeLifetimeSec * 1000,
      used: false,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', state);
    back.searchParams.set('session_state', randomUUID());
    return { code, state, redirectUrl: back.toString() };
  }

  /** The user cancels at Microsoft: the redirect carries `error=access_denied`. */
  deny(loginUrl: string): FakeAuthorizeResult {
    const url = new URL(loginUrl);
    const state = url.searchParams.get('state') ?? '';
    const back = new URL(url.searchParams.get('redirect_uri') ?? '');
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
    back.searchParams.set('state', state);
    return { state, error: 'access_denied', redirectUrl: back.toString() };
  }

  /** Revokes every refresh token of a user (an admin's "revoke sessions", a password reset). */
  revokeRefreshTokens(oid: string): number {
    let count = 0;
    for (const grant of this.#refreshTokens.values()) {
      if (grant.oid === oid && !grant.revoked) {
        grant.revoked = true;
        count++;
      }
    }
    return count;
  }

  /** From now on, refreshing this user's tokens needs MFA (a Conditional Access change): `invalid_grant` + `basic_action`. */
  requireMfa(oid: string, required = true): void {
    if (required) this.#mfaRequired.add(oid);
    else this.#mfaRequired.delete(oid);
  }

  /** Makes the next `count` token requests fail the way `mode` says ({@link FakeFailure}). */
  failNext(count: number, mode: FakeFailure = 'reset'): void {
    for (let i = 0; i < count; i++) this.#failures.push(mode);
  }

  /**
   * Changes claims of the next id token issued (a misbehaving or hostile token endpoint), e.g.
   * `{ nonce: 'other' }` or `{ tid: 'another-tenant' }`.
   */
  overrideNextIdToken(claims: Record<string, unknown>): void {
    this.#idTokenOverride = claims;
  }

  /** Token requests of one grant type that succeeded. */
  countTokenRequests(grantType: string, outcome = 'ok'): number {
    return this.tokenRequests.filter((r) => r.grantType === grantType && r.outcome === outcome).length;
  }

  /** Stops the server. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.#server.listening) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // --- HTTP --------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    const path = url.pathname;
    if (req.method === 'GET' && path === `/${this.tenantId}/v2.0/.well-known/openid-configuration`) {
      json(res, 200, this.openIdConfiguration()); return;
    }
    if (req.method === 'GET' && path === '/common/discovery/instance') { json(res, 200, this.cloudDiscovery()); return; }
    if (req.method === 'GET' && path === `/${this.tenantId}/discovery/v2.0/keys`) { json(res, 200, this.jwks()); return; }
    if (req.method === 'GET' && path === `/${this.tenantId}/oauth2/v2.0/authorize`) {
      const hint = url.searchParams.get('login_hint');
      // No account named: the sign-in page, where the person picks one.
      if (!hint) { sendPersonPicker(res, [...this.#users.values()], url); return; }
      const user = [...this.#users.values()].find((u) => u.upn === hint);
      if (!user) { json(res, 400, { error: 'invalid_request', error_description: 'AADSTS50058: login_hint names no user of this fake.' }); return; }
      const result = this.authorize(`https://${this.host}${req.url ?? ''}`, user.oid);
      res.statusCode = 302;
      res.setHeader('location', result.redirectUrl);
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/v1.0/me') {
      this.graph.handle(req, res, url); return;
    }
    if (req.method === 'POST' && path === `/${this.tenantId}/oauth2/v2.0/token`) {
      const body = new URLSearchParams(await readBody(req));
      this.#token(req, res, body); return;
    }
    json(res, 404, { error: 'not_found', error_description: `No route ${req.method} ${path}` });
  }

  #token(req: IncomingMessage, res: ServerResponse, body: URLSearchParams): void {
    const grantType = body.get('grant_type') ?? '';
    const scope = body.get('scope') ?? '';
    const record = (outcome: string, oid: string | null, errorNo: number | null = null) =>
      this.tokenRequests.push({ grantType, oid, scope, outcome, errorNo, at: this.#options.now() });

    const failure = this.#failures.shift();
    if (failure === 'reset') {
      record('reset', null);
      req.socket.destroy();
      return;
    }
    if (failure === 'hang') {
      record('hang', null);
      return;
    }
    if (failure === 'unavailable') {
      record('unavailable', null, 50196);
      this.#error(res, 503, 'temporarily_unavailable', 50196, 'The server is temporarily unavailable.'); return;
    }
    if (failure === 'bad_gateway') {
      record('bad_gateway', null);
      res.statusCode = 502;
      res.setHeader('content-type', 'text/html');
      res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    if (body.get('client_id') !== this.clientId) {
      record('unauthorized_client', null, 700016);
      this.#error(res, 400, 'unauthorized_client', 700016, `Application with identifier '${body.get('client_id')}' was not found in the directory.`); return;
    }
    if (body.get('client_secret') !== this.clientSecret) {
      record('invalid_client', null, 7000215);
      this.#error(res, 401, 'invalid_client', 7000215, 'Invalid client secret provided.'); return;
    }
    const now = this.#options.now();
    if (grantType === 'authorization_code') {
      const code = body.get('code') ?? '';
      const grant = this.#codes.get(code);
      if (!grant) {
        record('invalid_grant', null, 9002313);
        this.#error(res, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'); return;
      }
      if (grant.used) {
        record('invalid_grant', grant.oid, 54005);
        this.#error(res, 400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed.'); return;
      }
      grant.used = true;
      if (grant.expiresAt <= now) {
        record('invalid_grant', grant.oid, 70008);
        this.#error(res, 400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.'); return;
      }
      if (body.get('redirect_uri') !== grant.redirectUri) {
        record('invalid_grant', grant.oid, 50148);
        this.#error(res, 400, 'invalid_grant', 50148, 'The redirect_uri does not match the one used in the authorization request.'); return;
      }
      const verifier = body.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        record('invalid_grant', grant.oid, 501481);
        this.#error(res, 400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'); return;
      }
      record('ok', grant.oid);
      json(res, 200, this.#issue(grant.oid, grant.scopes, grant.scopes, grant.nonce)); return;
    }
    if (grantType === 'refresh_token') {
      const token = body.get('refresh_token') ?? '';
      const grant = this.#refreshTokens.get(token);
      if (!grant) {
        record('invalid_grant', null, 9002313);
        this.#error(res, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'); return;
      }
      if (grant.revoked) {
        record('invalid_grant', grant.oid, 50173);
        this.#error(res, 400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed.'); return;
      }
      if (grant.expiresAt <= now) {
        record('invalid_grant', grant.oid, 700082);
        this.#error(res, 400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity.'); return;
      }
      if (this.#mfaRequired.has(grant.oid)) {
        record('invalid_grant', grant.oid, 50076);
        this.#error(res, 400, 'invalid_grant', 50076, 'Due to a configuration change made by your administrator, you must use multi-factor authentication.', {
          suberror: 'basic_action',
          claims: JSON.stringify({ access_token: { capolids: { essential: true, values: [randomUUID()] } } }),
        }); return;
      }
      const requested = scope.split(' ').filter(Boolean);
      const unconsented = requested.filter((s) => !OIDC_SCOPES.has(s) && !grant.scopes.some((g) => g.toLowerCase() === s.toLowerCase()));
      if (unconsented.length > 0) {
        record('invalid_grant', grant.oid, 65001);
        this.#error(res, 400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application: ${unconsented.join(' ')}.`, {
          suberror: 'consent_required',
        }); return;
      }
      record('ok', grant.oid);
      json(res, 200, this.#issue(grant.oid, grant.scopes, requested, null)); return;
    }
    record('unsupported_grant_type', null, 70003);
    this.#error(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }

  /** Issues tokens like Entra: access token for the requested resource scopes, a new sliding refresh token, an id token. */
  #issue(oid: string, consented: string[], requested: string[], nonce: string | null): Record<string, unknown> {
    const user = this.#users.get(oid);
    if (!user) throw new Error(`no user ${oid}`);
    const now = this.#options.now();
    const iat = Math.floor(now / 1000);
    const tid = user.tenantId ?? this.tenantId;
    const resourceScopes = requested.filter((s) => !OIDC_SCOPES.has(s));
    const granted = [...(resourceScopes.length > 0 ? resourceScopes : ['User.Read']), ...requested.filter((s) => OIDC_SCOPES.has(s) && s !== 'offline_access')];
    const accessToken = this.#jwt(accessTokenClaimsOf({ user, oid, tid, iat, lifetimeSec: this.#options.accessTokenLifetimeSec, granted, clientId: this.clientId }));
    const idClaims = idTokenClaimsOf({ user, oid, tid, iat, clientId: this.clientId });
    if (consented.includes('email') && user.email) idClaims['email'] = user.email;
    if (nonce) idClaims['nonce'] = nonce;
    if (this.#idTokenOverride) {
      Object.assign(idClaims, this.#idTokenOverride);
      this.#idTokenOverride = null;
    }
    const idToken = this.#jwt(idClaims);
    const refreshToken = `1.A${randomBytes(96).toString('base64url')}`;
    this.#refreshTokens.set(refreshToken, {
      oid,
      clientId: this.clientId,
      scopes: consented,
      expiresAt: now + this.#options.refreshTokenLifetimeSec * 1000,
      revoked: false,
    });
    this.issuedSecrets.push(accessToken, refreshToken, idToken);
    this.graph.issued(accessToken, { oid, expiresAt: now + this.#options.accessTokenLifetimeSec * 1000, scopes: granted });
    return {
      token_type: 'Bearer',
      scope: granted.join(' '),
      expires_in: this.#options.accessTokenLifetimeSec,
      ext_expires_in: this.#options.accessTokenLifetimeSec,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: oid, utid: user.homeTenantId ?? tid })).toString('base64url'),
    };
  }

  #jwt(claims: Record<string, unknown>): string {
    const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.#kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.#privateKey).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  #error(res: ServerResponse, status: number, error: string, errorNo: number, text: string, extra: Record<string, unknown> = {}): void {
    json(res, status, entraErrorBody(this.#options.now(), error, errorNo, text, extra));
  }

}
