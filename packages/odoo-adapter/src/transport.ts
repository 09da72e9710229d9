/**
 * The one internal interface both wire protocols implement, and what they share: the
 * credentials holder and the version parser. Not exported from the package.
 * @module
 */
import { inspect } from 'node:util';
import type { HttpSend } from './http.js';
import { createRedactor } from './redact.js';

/** A wire protocol of Odoo's external API. */
export type OdooProtocol = 'xmlrpc' | 'json2';

/** The server version, whichever protocol asked. */
export interface OdooVersion {
  /** Version string, e.g. `19.0` or `saas~18.3`. */
  version: string;
  /** Version tuple, e.g. `[19, 0, 0, 'final', 0, '']`. */
  versionInfo: ReadonlyArray<number | string>;
  /** Major version number (`19`), or `null` when it cannot be read. */
  major: number | null;
}

/** A positional argument of an ORM method, with its parameter name when known. */
export interface PositionalArg {
  /** Parameter name (JSON-2 sends every argument by name). */
  name?: string | undefined;
  /** The value. */
  value: unknown;
}

/**
 * One ORM call, protocol-neutral. XML-RPC sends `[ids?, ...args]` positionally plus `kwargs`
 * (which carries `context`); JSON-2 sends `ids`, each named argument and each kwarg by name.
 */
export interface OrmCall {
  model: string;
  method: string;
  /** Record ids for record-set methods (`read`, `write`, `unlink`); absent for model methods. */
  ids?: readonly number[] | undefined;
  /** Arguments Odoo ≤ 16 needs positionally (e.g. `search`'s domain was named `args` there). */
  args?: readonly PositionalArg[];
  /** Keyword arguments, `context` included. */
  kwargs?: Readonly<Record<string, unknown>>;
}

/** Per-request settings a transport receives. */
export interface RequestContext {
  /** Aborts the request (caller's signal, client's signal and close combined). */
  signal: AbortSignal;
}

/** What the client asks of a protocol. */
export interface Transport {
  /** Which protocol this is. */
  readonly protocol: OdooProtocol;
  /** The server version (no authentication). */
  version(ctx: RequestContext): Promise<OdooVersion>;
  /** Checks the credentials and returns the user id. Throws `OdooAuthError` when refused. */
  authenticate(ctx: RequestContext): Promise<number>;
  /** Runs an ORM method and returns its raw result. */
  execute(call: OrmCall, uid: number, ctx: RequestContext): Promise<unknown>;
}

/**
 * Holds the API key and password. Secrets live in private fields, so they never show in
 * `util.inspect`, `JSON.stringify` or an error's properties; every secret ever set stays known
 * to the redactor, so a message echoing a rotated-out key is still cleaned.
 */
export class Credentials {
  #apiKey: string | undefined;
  #password: string | undefined;
  readonly #known: string[] = [];
  #redact: (text: string) => string = (text) => text;

  constructor(apiKey: string | undefined, password: string | undefined) {
    this.#apiKey = apiKey;
    this.#password = password;
    this.#remember(apiKey, password);
  }

  #remember(...secrets: Array<string | undefined>): void {
    for (const secret of secrets) if (secret) this.#known.push(secret);
    this.#redact = createRedactor(this.#known);
  }

  /** The API key, when one is set. */
  get apiKey(): string | undefined {
    return this.#apiKey;
  }

  /** What XML-RPC sends where the password goes: the API key when set, else the password. */
  get xmlrpcSecret(): string {
    return this.#apiKey ?? this.#password ?? '';
  }

  /** Replaces the API key (rotation). */
  setApiKey(apiKey: string): void {
    this.#apiKey = apiKey;
    this.#remember(apiKey);
  }

  /** Removes every known secret from a text. */
  redact(text: string): string {
    return this.#redact(text);
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Credentials [redacted]';
  }
}

/** What both transports are built from. */
export interface TransportConfig {
  /** Base URL without a trailing slash, e.g. `https://odoo.example.com`. */
  baseUrl: string;
  db: string;
  username: string;
  credentials: Credentials;
  /** One HTTP exchange: the injected fetch's, or the client's own over `node:http`. */
  send: HttpSend;
  timeoutMs: number;
  userAgent: string;
}

function majorOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const match = /(\d+)/.exec(value);
    return match ? Number(match[1]) : null;
  }
  return null;
}

/**
 * Reads a version answer: `/web/version`'s `{ version_info, version }` or XML-RPC
 * `version()`'s `{ server_version_info, server_version }`. Returns `null` when it is neither.
 */
export function parseVersion(raw: unknown): OdooVersion | null {
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const info = Array.isArray(r['version_info']) ? r['version_info'] : Array.isArray(r['server_version_info']) ? r['server_version_info'] : null;
  const version = typeof r['version'] === 'string' ? r['version'] : typeof r['server_version'] === 'string' ? r['server_version'] : null;
  if (!info && version === null) return null;
  const versionInfo = (info ?? []).filter((v): v is number | string => typeof v === 'number' || typeof v === 'string');
  return {
    version: version ?? versionInfo.slice(0, 2).join('.'),
    versionInfo,
    major: majorOf(versionInfo[0]) ?? majorOf(version),
  };
}
