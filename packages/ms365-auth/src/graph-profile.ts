/**
 * The signed-in person's Microsoft Graph profile (`GET /v1.0/me`), read once at sign-in with
 * the access token just redeemed: the addresses Microsoft 365 delivers to them and their
 * employee number, as evidence for linking them to Odoo. Reading it never stops a sign-in.
 * @module
 */
import type { Clock } from '@odoo-sync/core';
import { z } from 'zod';

/** The Graph base URL when none is configured. */
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';

/** The `$select` of the profile read: what linking uses, nothing else. */
export const GRAPH_PROFILE_SELECT = 'mail,userPrincipalName,proxyAddresses,otherMails,employeeId,givenName,surname,displayName';

/** What Microsoft Graph says about the signed-in person (`/me`), as linking uses it. */
export interface Ms365Profile {
  /** Primary SMTP address (`mail`), or `null`. */
  mail: string | null;
  /** Sign-in name (`userPrincipalName`), or `null`. */
  userPrincipalName: string | null;
  /** `proxyAddresses` as Graph gives them (`SMTP:primary`, `smtp:alias`, `SIP:…`). */
  proxyAddresses: string[];
  /** `otherMails`: further addresses an administrator recorded for the account. */
  otherMails: string[];
  /** `employeeId`: the employee number the organisation gave them, or `null`. */
  employeeId: string | null;
  /** Given name, or `null`. */
  givenName: string | null;
  /** Surname, or `null`. */
  surname: string | null;
  /** Display name, or `null`. */
  displayName: string | null;
}

/** Why a profile read failed, as counted and logged. */
export type GraphProfileFailure = 'network' | 'timeout' | 'unauthorized' | 'forbidden' | 'throttled' | 'server_error' | 'http_error' | 'malformed';

/** A failed profile read. Carries no token. */
export class GraphProfileError extends Error {
  /** What went wrong. */
  readonly reason: GraphProfileFailure;
  /** HTTP status, when Graph answered. */
  readonly status: number | null;
  /** Graph's `request-id`, for Microsoft support. */
  readonly requestId: string | null;

  constructor(reason: GraphProfileFailure, message: string, status: number | null = null, requestId: string | null = null) {
    super(message);
    this.name = 'GraphProfileError';
    this.reason = reason;
    this.status = status;
    this.requestId = requestId;
  }
}

const optionalText = z
  .string()
  .nullish()
  .transform((value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null));
const textList = z
  .array(z.unknown())
  .nullish()
  .transform((values) => (values ?? []).filter((value): value is string => typeof value === 'string' && value.trim() !== '').map((value) => value.trim()));

const profileSchema = z.object({
  mail: optionalText,
  userPrincipalName: optionalText,
  proxyAddresses: textList,
  otherMails: textList,
  employeeId: optionalText,
  givenName: optionalText,
  surname: optionalText,
  displayName: optionalText,
});

/** Options of {@link readGraphProfile}. */
export interface ReadGraphProfileOptions {
  /** Graph base URL. @default 'https://graph.microsoft.com' */
  baseUrl?: string;
  /** Longest wait for Graph's answer, in milliseconds (on `clock`). @default 5000 */
  timeoutMs?: number;
  /** Time source of the timeout. */
  clock: Clock;
  /** HTTP client. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
}

function failureOfStatus(status: number): GraphProfileFailure {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server_error';
  return 'http_error';
}

/**
 * Reads `GET {baseUrl}/v1.0/me?$select=…` with a delegated access token that carries
 * `User.Read`. Throws {@link GraphProfileError} for anything but a 200 with a JSON object
 * (network failure, timeout, 401/403, 429, 5xx, a body that is not the profile).
 */
export async function readGraphProfile(accessToken: string, options: ReadGraphProfileOptions): Promise<Ms365Profile> {
  const base = (options.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetcher = options.fetch ?? globalThis.fetch;
  const controller = new AbortController();
  let timedOut = false;
  const timer = options.clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetcher(`${base}/v1.0/me?$select=${GRAPH_PROFILE_SELECT}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: controller.signal,
      });
    } catch (error) {
      if (timedOut) throw new GraphProfileError('timeout', `Microsoft Graph did not answer within ${timeoutMs} ms.`);
      throw new GraphProfileError('network', `Microsoft Graph could not be reached (${error instanceof Error ? error.message : 'network error'}).`);
    }
    const requestId = response.headers.get('request-id');
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new GraphProfileError(timedOut ? 'timeout' : 'network', 'The answer of Microsoft Graph was cut off.', response.status, requestId);
    }
    if (response.status !== 200) {
      throw new GraphProfileError(failureOfStatus(response.status), `Microsoft Graph answered ${response.status} to GET /me.`, response.status, requestId);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new GraphProfileError('malformed', 'Microsoft Graph answered GET /me with something that is not JSON.', 200, requestId);
    }
    const parsed = profileSchema.safeParse(body);
    if (!parsed.success || typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new GraphProfileError('malformed', 'Microsoft Graph answered GET /me with something that is not a user profile.', 200, requestId);
    }
    return parsed.data;
  } finally {
    options.clock.clearTimeout(timer);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The addresses Microsoft 365 vouches for: `proxyAddresses` of type SMTP (the `smtp:`/`SMTP:`
 * prefix removed; `SIP:`, `X500:` and the like left out), `otherMails`, `mail` and the UPN —
 * lower-cased, each once, only what looks like an address.
 */
export function vouchedAddresses(profile: Ms365Profile): string[] {
  const smtp = profile.proxyAddresses.flatMap((entry) => (/^smtp:/i.test(entry) ? [entry.slice(5)] : []));
  const all = [profile.mail, profile.userPrincipalName, ...smtp, ...profile.otherMails];
  const addresses = all.flatMap((value) => (value !== null && EMAIL.test(value.trim()) ? [value.trim().toLowerCase()] : []));
  return [...new Set(addresses)];
}

/** Whether the sign-in's scopes let its access token read `/me` (Graph's `User.Read`, or broader). */
export function scopesReadProfile(scopes: readonly string[]): boolean {
  const graph = new Set(['user.read', 'user.readwrite', 'user.readbasic.all', 'user.read.all', 'directory.read.all']);
  return scopes.some((scope) => graph.has(scope.toLowerCase().replace(/^https:\/\/graph\.microsoft\.com\//, '')));
}
