/**
 * XML-RPC transport (`/xmlrpc/2/common`, `/xmlrpc/2/object`), for Odoo 16–19. Messages are
 * built by the `xmlrpc` package's serializer and read by a fast reader of Odoo's answers that
 * falls back on the package's deserializer for anything unusual; every HTTP exchange has a
 * timeout, an abort signal and keep-alive, and an HTML
 * answer is reported as such instead of "Unknown XML-RPC tag 'TITLE'".
 * @module
 */
import { PassThrough } from 'node:stream';
import { OdooAuthError, OdooServerError } from '@odoo-sync/core/errors';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import { serializeMethodCall } from 'xmlrpc/lib/serializer.js';
import { errorFromForeignAnswer, errorFromXmlRpcFault, looksLikeHtml, type OdooErrorContext } from './errors.js';
import type { HttpAnswer } from './http.js';
import { parseMethodResponseFast } from './xmlrpc-fast.js';
import { type OdooVersion, type OrmCall, parseVersion, type RequestContext, type Transport, type TransportConfig } from './transport.js';

/** A parsed XML-RPC answer: a value or a fault. */
export type XmlRpcOutcome = { ok: true; value: unknown } | { ok: false; fault: { faultCode: unknown; faultString: unknown } } | { ok: false; fault: null; reason: string };

/** Parses a `methodResponse` document. Never throws. */
export function parseXmlRpcResponse(xml: string): Promise<XmlRpcOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const stream = new PassThrough();
    new Deserializer('utf8').deserializeMethodResponse(stream, (error, value) => {
      if (settled) return;
      settled = true;
      if (!error) resolve({ ok: true, value });
      else if ('faultCode' in error && error.faultCode !== undefined) {
        resolve({ ok: false, fault: { faultCode: error.faultCode, faultString: (error as { faultString?: unknown }).faultString } });
      } else resolve({ ok: false, fault: null, reason: error.message });
    });
    stream.end(xml, 'utf8');
  });
}

/**
 * Drops `undefined` (the serializer would send an empty `<value/>`, which Python reads as `''`).
 * `null` is kept: it goes out as `<nil/>`, which Odoo reads as `None`.
 */
export function toXmlRpcValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : toXmlRpcValue(item)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = toXmlRpcValue(item);
    return out;
  }
  return value;
}

/** Talks XML-RPC to Odoo. */
export class XmlRpcTransport implements Transport {
  readonly protocol = 'xmlrpc' as const;
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  async #rpc(service: 'common' | 'object', method: string, params: unknown[], ctx: RequestContext, errorContext: Omit<OdooErrorContext, 'redact'>): Promise<unknown> {
    const { baseUrl, send, timeoutMs, userAgent, credentials } = this.#config;
    const body = serializeMethodCall(method, toXmlRpcValue(params) as unknown[], 'utf-8');
    const answer = await send({
      method: 'POST',
      url: `${baseUrl}/xmlrpc/2/${service}`,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml', 'User-Agent': userAgent },
      body,
      timeoutMs,
      signal: ctx.signal,
    });
    if (!isXmlRpcAnswer(answer)) throw errorFromForeignAnswer(answer, 'XML-RPC');
    const outcome = parseMethodResponseFast(answer.body) ?? (await parseXmlRpcResponse(answer.body));
    if (outcome.ok) return outcome.value;
    if (outcome.fault) throw errorFromXmlRpcFault(outcome.fault, { ...errorContext, redact: (text) => credentials.redact(text) });
    throw errorFromForeignAnswer(answer, 'XML-RPC');
  }

  async version(ctx: RequestContext): Promise<OdooVersion> {
    const raw = await this.#rpc('common', 'version', [], ctx, { method: 'version' });
    const version = parseVersion(raw);
    if (!version) throw new OdooServerError('Odoo answered version() with something that is not a version.');
    return version;
  }

  async authenticate(ctx: RequestContext): Promise<number> {
    const { db, username, credentials } = this.#config;
    const uid = await this.#rpc('common', 'authenticate', [db, username, credentials.xmlrpcSecret, {}], ctx, { method: 'authenticate' });
    if (typeof uid === 'number' && Number.isInteger(uid) && uid > 0) return uid;
    throw new OdooAuthError(`Odoo refused the login "${username}" on database "${db}".`);
  }

  async execute(call: OrmCall, uid: number, ctx: RequestContext): Promise<unknown> {
    const { db, credentials } = this.#config;
    const args: unknown[] = [];
    if (call.ids !== undefined) args.push([...call.ids]);
    for (const arg of call.args ?? []) args.push(arg.value);
    return this.#rpc(
      'object',
      'execute_kw',
      [db, uid, credentials.xmlrpcSecret, call.model, call.method, args, call.kwargs ?? {}],
      ctx,
      { model: call.model, method: call.method },
    );
  }
}

function isXmlRpcAnswer(answer: HttpAnswer): boolean {
  if (looksLikeHtml(answer.contentType, answer.body)) return false;
  // Odoo answers faults with HTTP 200 too; anything else with an XML-RPC body is still read.
  return /<methodResponse[\s>]/.test(answer.body.slice(0, 200));
}
