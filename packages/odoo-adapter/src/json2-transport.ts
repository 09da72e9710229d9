/**
 * JSON-2 transport (`POST /json/2/<model>/<method>`, Odoo 19+): bearer API key,
 * `X-Odoo-Database`, named arguments only, real HTTP statuses for errors.
 * @module
 */
import { InputError, OdooAuthError, OdooServerError, OdooTransportError, OdooValidationError } from '@odoo-sync/core/errors';
import { databaseNotFoundError, errorFromForeignAnswer, errorFromJson2Answer, isNoDatabasePage, looksLikeHtml } from './errors.js';
import type { HttpAnswer } from './http.js';
import { type OdooVersion, type OrmCall, parseVersion, type RequestContext, type Transport, type TransportConfig } from './transport.js';

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isInteger(item));
}

/**
 * The JSON body of a call: `ids`, every named argument and every kwarg (with `context`).
 * Throws {@link InputError} for a positional argument without a name: JSON-2 has no positions.
 */
export function json2Body(call: OrmCall): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (call.ids !== undefined) body['ids'] = [...call.ids];
  (call.args ?? []).forEach((arg, index) => {
    if (!arg.name) {
      throw new InputError(
        `JSON-2 takes named arguments only: pass argument ${index + 1} of ${call.model}.${call.method} in kwargs by its parameter name.`,
        [{ path: `args.${index}`, message: 'positional argument not allowed with JSON-2' }],
      );
    }
    body[arg.name] = arg.value;
  });
  for (const [key, value] of Object.entries(call.kwargs ?? {})) if (value !== undefined) body[key] = value;
  return body;
}

/** Splits a generic `call(model, method, args)`'s args: a leading id list becomes `ids`. */
export function splitGenericArgs(args: readonly unknown[]): { ids: number[] | undefined; rest: unknown[] } {
  if (args.length > 0 && isIdList(args[0])) return { ids: args[0], rest: args.slice(1) };
  return { ids: undefined, rest: [...args] };
}

/** Talks JSON-2 to Odoo 19+. */
export class Json2Transport implements Transport {
  readonly protocol = 'json2' as const;
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /** Reads a JSON answer, or throws the error it stands for. */
  #parse(answer: HttpAnswer, call: { model?: string; method: string }): unknown {
    let parsed: unknown;
    let isJson = false;
    if (!looksLikeHtml(answer.contentType, answer.body)) {
      try {
        parsed = JSON.parse(answer.body);
        isJson = true;
      } catch {
        isJson = false;
      }
    }
    if (!isJson) {
      // An unknown X-Odoo-Database: Odoo 19 selects no database and answers its HTML 404 page.
      if (call.model !== undefined && isNoDatabasePage(answer.status, answer.body)) {
        throw databaseNotFoundError(this.#config.db, `Odoo answered ${answer.target} with its "No database is selected" page, HTTP 404`);
      }
      if (answer.status === 404 && call.model !== undefined) {
        throw new OdooTransportError(`Odoo has no JSON-2 endpoint at ${answer.target} (HTTP 404).`, {
          status: 404,
          retryable: false,
          hint: "JSON-2 needs Odoo 19 or later: use protocol 'xmlrpc' (or 'auto') for older servers, and check the URL.",
        });
      }
      throw errorFromForeignAnswer(answer, 'JSON-2');
    }
    if (answer.status >= 400) {
      throw errorFromJson2Answer(answer.status, parsed, {
        model: call.model,
        method: call.method,
        redact: (text) => this.#config.credentials.redact(text),
      });
    }
    return parsed;
  }

  async version(ctx: RequestContext): Promise<OdooVersion> {
    const { baseUrl, send, timeoutMs, userAgent } = this.#config;
    const answer = await send({
      method: 'GET',
      url: `${baseUrl}/web/version`,
      headers: { Accept: 'application/json', 'User-Agent': userAgent },
      timeoutMs,
      signal: ctx.signal,
    });
    const version = parseVersion(this.#parse(answer, { method: 'version' }));
    if (!version) throw new OdooServerError('Odoo answered /web/version with something that is not a version.');
    return version;
  }

  async authenticate(ctx: RequestContext): Promise<number> {
    // JSON-2 has no login: the API key names the user. res.users/context_get is the documented
    // cheap call that both checks the key and tells the user id.
    let context: unknown;
    try {
      context = await this.execute({ model: 'res.users', method: 'context_get' }, 0, ctx);
    } catch (error) {
      if (!(error instanceof OdooValidationError)) throw error;
      // A server without context_get (not Odoo itself): the key was accepted, so look the login up.
      return this.#uidByLogin(ctx);
    }
    const uid = context !== null && typeof context === 'object' ? (context as Record<string, unknown>)['uid'] : undefined;
    if (typeof uid === 'number' && Number.isInteger(uid) && uid > 0) return uid;
    return this.#uidByLogin(ctx);
  }

  async #uidByLogin(ctx: RequestContext): Promise<number> {
    const { username } = this.#config;
    const rows = await this.execute(
      { model: 'res.users', method: 'search', args: [{ name: 'domain', value: [['login', '=', username]] }], kwargs: { limit: 1 } },
      0,
      ctx,
    );
    const uid: unknown = Array.isArray(rows) ? (rows as unknown[])[0] : undefined;
    if (typeof uid === 'number' && Number.isInteger(uid) && uid > 0) return uid;
    throw new OdooAuthError(`Odoo accepted the API key but has no user with the login "${username}".`);
  }

  async execute(call: OrmCall, _uid: number, ctx: RequestContext): Promise<unknown> {
    const { baseUrl, db, send, timeoutMs, userAgent, credentials } = this.#config;
    const body = JSON.stringify(json2Body(call));
    const apiKey = credentials.apiKey;
    if (apiKey === undefined) throw new OdooAuthError('JSON-2 needs an API key; none is configured.');
    const answer = await send({
      method: 'POST',
      url: `${baseUrl}/json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`,
      headers: {
        Authorization: `bearer ${apiKey}`,
        'X-Odoo-Database': db,
        'Content-Type': 'application/json; charset=utf-8',
        Accept: 'application/json',
        'User-Agent': userAgent,
      },
      body,
      timeoutMs,
      signal: ctx.signal,
    });
    return this.#parse(answer, call);
  }
}
