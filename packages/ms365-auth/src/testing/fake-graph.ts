/**
 * The Microsoft Graph `/v1.0/me` endpoint of {@link FakeEntraId}: the signed-in person's
 * profile for a Bearer access token the fake issued, with Graph's error JSON otherwise.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A person's Microsoft Graph profile data in the fake directory (what `/me` can `$select`). */
export interface FakeGraphProfile {
  /** Primary SMTP address (`mail`). @default the user's e-mail */
  mail?: string | null;
  /** `proxyAddresses`, e.g. `['SMTP:ana@contoso.test', 'smtp:ana.souza@old.test']`. @default `['SMTP:<mail>']` */
  proxyAddresses?: string[];
  /** `otherMails`. @default [] */
  otherMails?: string[];
  /** `employeeId`. @default null */
  employeeId?: string | null;
  /** `givenName`. @default the first word of the name */
  givenName?: string | null;
  /** `surname`. @default the rest of the name */
  surname?: string | null;
}

/**
 * An injected failure of `/v1.0/me`: `unavailable` (503), `throttled` (429 with
 * `Retry-After`), `unauthorized` (401), `forbidden` (403), `malformed` (200 with a body that is
 * not JSON), `reset` (connection dropped), `hang` (never answers until `close`).
 */
export type FakeGraphFailure = 'unavailable' | 'throttled' | 'unauthorized' | 'forbidden' | 'malformed' | 'reset' | 'hang';

/** One request to `/v1.0/me`. */
export interface FakeGraphRequest {
  /** The user of the token, when it was one the fake issued. */
  oid: string | null;
  /** `$select` as sent. */
  select: string | null;
  /** HTTP status answered (0: none: reset or hang). */
  status: number;
}

/** An access token the fake issued, as the Graph endpoint checks it. */
export interface IssuedAccessToken {
  /** Whose. */
  oid: string;
  /** Expiry (ms). */
  expiresAt: number;
  /** Its `scp`. */
  scopes: string[];
}

/** The user fields the endpoint answers from (a `FakeEntraUser` fits). */
export interface FakeGraphUser extends FakeGraphProfile {
  /** Object id. */
  oid: string;
  /** Sign-in name. */
  upn: string;
  /** Display name. */
  name: string;
  /** E-mail. */
  email?: string;
}

/** Properties Graph returns for `/me` without `$select`. */
const DEFAULT_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

/** The profile of a user as Graph's `/me` gives every property this fake knows. */
export function graphUserOf(user: FakeGraphUser): Record<string, unknown> {
  const mail = user.mail === undefined ? (user.email ?? user.upn) : user.mail;
  const words = user.name.trim().split(/\s+/);
  return {
    id: user.oid,
    businessPhones: [],
    displayName: user.name,
    givenName: user.givenName === undefined ? (words[0] ?? null) : user.givenName,
    surname: user.surname === undefined ? (words.slice(1).join(' ') || null) : user.surname,
    jobTitle: null,
    mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    userPrincipalName: user.upn,
    proxyAddresses: user.proxyAddresses ?? (mail ? [`SMTP:${mail}`] : []),
    otherMails: user.otherMails ?? [],
    employeeId: user.employeeId ?? null,
  };
}

/** The Graph part of the fake: checks tokens, honours `$select`, fails on demand. */
export class FakeGraph {
  /** Every `/v1.0/me` request, in order. */
  readonly requests: FakeGraphRequest[] = [];
  readonly #tokens = new Map<string, IssuedAccessToken>();
  readonly #users: (oid: string) => FakeGraphUser | undefined;
  readonly #now: () => number;
  #failure: FakeGraphFailure | null = null;

  constructor(users: (oid: string) => FakeGraphUser | undefined, now: () => number) {
    this.#users = users;
    this.#now = now;
  }

  /** Records an access token the token endpoint issued. */
  issued(token: string, grant: IssuedAccessToken): void {
    this.#tokens.set(token, grant);
  }

  /** Makes every `/v1.0/me` request fail as `mode` says, until `fail(null)`. */
  fail(mode: FakeGraphFailure | null): void {
    this.#failure = mode;
  }

  /** Answers `GET /v1.0/me`. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const select = url.searchParams.get('$select');
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    const grant = this.#tokens.get(token);
    const record = (status: number) => this.requests.push({ oid: grant?.oid ?? null, select, status });
    const failure = this.#failure;
    if (failure === 'reset') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (failure === 'hang') {
      record(0);
      return;
    }
    if (failure === 'malformed') {
      record(200);
      res.statusCode = 200;
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>Sign in to continue</body></html>');
      return;
    }
    if (failure === 'unavailable') { this.#error(res, record, 503, 'serviceNotAvailable', 'The service is temporarily unavailable.'); return; }
    if (failure === 'throttled') {
      res.setHeader('retry-after', '10');
      this.#error(res, record, 429, 'TooManyRequests', 'Too many requests.'); return;
    }
    if (failure === 'unauthorized') { this.#error(res, record, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'); return; }
    if (failure === 'forbidden') { this.#error(res, record, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'); return; }
    if (token === '') { this.#error(res, record, 401, 'InvalidAuthenticationToken', 'Access token is empty.'); return; }
    if (!grant) { this.#error(res, record, 401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed.'); return; }
    if (grant.expiresAt <= this.#now()) { this.#error(res, record, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'); return; }
    if (!grant.scopes.some((scope) => ['user.read', 'user.readwrite', 'user.read.all', 'directory.read.all'].includes(scope.toLowerCase()))) {
      this.#error(res, record, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'); return;
    }
    const user = this.#users(grant.oid);
    if (!user) { this.#error(res, record, 404, 'Request_ResourceNotFound', `Resource '${grant.oid}' does not exist.`); return; }
    const profile = graphUserOf(user);
    const wanted = select === null ? DEFAULT_PROPERTIES : select.split(',').map((name) => name.trim()).filter(Boolean);
    const unknown = wanted.filter((name) => !(name in profile));
    if (unknown.length > 0) {
      this.#error(res, record, 400, 'BadRequest', `Could not find a property named '${unknown[0] ?? ''}' on type 'microsoft.graph.user'.`); return;
    }
    const body: Record<string, unknown> = {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users(${select ?? ''})/$entity`,
    };
    for (const name of wanted) body[name] = profile[name];
    record(200);
    send(res, 200, body);
  }

  #error(res: ServerResponse, record: (status: number) => void, status: number, code: string, message: string): void {
    record(status);
    res.setHeader('request-id', randomUUID());
    if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"');
    send(res, status, {
      error: { code, message, innerError: { date: new Date(this.#now()).toISOString().slice(0, 19), 'request-id': res.getHeader('request-id'), 'client-request-id': res.getHeader('request-id') } },
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (!res.hasHeader('request-id')) res.setHeader('request-id', randomUUID());
  res.statusCode = status;
  res.setHeader('content-type', 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8');
  res.end(JSON.stringify(body));
}
