/**
 * fast-check arbitraries of hostile HTTP requests for one OpenAPI operation: odd path
 * parameters, odd and repeated query parameters (`__proto__`, unicode, bad percent escapes),
 * malformed JSON, wrong types, deep and huge bodies, bad cursors, odd content types and headers.
 * @module
 */
import fc from 'fast-check';

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/admin/users/{id}/role`. */
  path: string;
  operationId: string;
  pathParams: string[];
  queryParams: { name: string; schema: JsonSchema }[];
  /** JSON schema of the body, when the operation takes one. */
  body: JsonSchema | null;
}

/** The part of a JSON schema the generators look at. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

/** What the generators may use from the running world. */
export interface Fixtures {
  webhookSecret: string;
  /** Ids of users that exist (never an admin's: a fuzzed role change must not lock the fuzz out). */
  userIds: string[];
  /** `nextCursor` values the server gave. */
  cursors: string[];
  /** Largest accepted body. */
  bodyLimitBytes: number;
}

/** A generated request, and what it is made of (for the oracle and the report). */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Query parameter names sent that the operation does not declare. */
  undeclaredQuery: string[];
  /** Which kind of body was sent. */
  bodyKind: string;
}

/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates become U+FFFD). */
export function pct(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const ODD_WORDS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf',
  '..', '../..', '.', '', ' ', 'null', 'undefined', 'NaN', 'Infinity', '-Infinity', 'true', 'false', '[]', '{}',
  '-1', '0', '-0', '1e309', '9007199254740993', '18446744073709551616', '0x10', '1.5', '01', '+1', ' 1', '1 ',
  'é', '𝒳', '\u202eevil', '\u0000', '\ud800', 'ﬀ', 'İ', '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '{{7*7}}',
  '%', '%%', '\\', '/', '//', '?', '#', '&', '=', ';', ',', '*', 'a'.repeat(1001),
];

/** Fragments sent as they are (already "encoded"): bad escapes, encoded slashes and dots. */
const RAW_FRAGMENTS = ['%', '%zz', '%c0%ae', '%ff%fe', '%2F', '%2f..%2f', '%00', '..', '.', '%2e%2e', '%E2%80%AE', '%25', '%u0041', '%C3', '%ED%A0%80', '~'];

/** An odd value for a path segment or a query value, encoded for the request line. */
export const oddValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_WORDS).map(pct), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(pct), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(pct), weight: 2 },
  { arbitrary: fc.integer().map(String), weight: 2 },
  { arbitrary: fc.double().map((n) => pct(String(n))), weight: 1 },
  { arbitrary: fc.constantFrom(...RAW_FRAGMENTS), weight: 2 },
  { arbitrary: fc.nat({ max: 9000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);

/** `arb` one time in `every`, else `null`. */
function sometimes<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: every - 1 }, { arbitrary: arb, weight: 1 });
}

const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'a[b]', 'limit[]', 'é', '𝒳', '\u0000', 'role', 'admin'];

function cursorArb(fixtures: Fixtures): fc.Arbitrary<string> {
  const real = fixtures.cursors.length > 0 ? fixtures.cursors : ['eyJpZCI6MX0'];
  return fc.oneof(
    fc.constantFrom(...real).map(pct),
    // A real cursor with one character changed, cut short, or doubled.
    fc.tuple(fc.constantFrom(...real), fc.nat(), fc.constantFrom('A', '_', '-', '=', '%', '!')).map(([c, i, ch]) => pct(c.slice(0, i % c.length) + ch + c.slice((i % c.length) + 1))),
    fc.tuple(fc.constantFrom(...real), fc.nat()).map(([c, i]) => pct(c.slice(0, i % c.length))),
    fc.constantFrom(...real).map((c) => pct(c + c)),
    // Well-formed base64url of the wrong JSON.
    fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8').toString('base64url')),
    fc.constantFrom('[1,"x"]', '{"__proto__":{"a":1}}', '[1e999,1]', '[-1,-1]', '["",""]', '[null]').map((j) => Buffer.from(j).toString('base64url')),
    oddValue,
  );
}

function plausible(schema: JsonSchema | undefined, fixtures: Fixtures): fc.Arbitrary<unknown> {
  const s = schema?.anyOf?.find((x) => x.type !== 'null') ?? schema ?? {};
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'integer' || type === 'number') return fc.integer({ min: s.minimum ?? -5, max: s.maximum ?? 1000 });
  if (type === 'boolean') return fc.boolean();
  if (type === 'string') return fc.oneof(fc.constantFrom(...fixtures.userIds, 'res.partner', 'crm.lead', 'x'), fc.string({ maxLength: 20 }));
  return fc.jsonValue({ maxDepth: 2 });
}

/** A value for a query parameter, encoded: plausible for its schema, or odd. */
function queryValue(name: string, schema: JsonSchema, fixtures: Fixtures): fc.Arbitrary<string> {
  if (name === 'cursor') return cursorArb(fixtures);
  return fc.oneof(
    plausible(schema, fixtures).map((v) => pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '')),
    oddValue,
  );
}

function queryArb(op: Operation, fixtures: Fixtures): fc.Arbitrary<{ query: string; undeclared: string[] }> {
  const declared = op.queryParams.map((p) => p.name);
  const declaredEntries = fc.subarray(op.queryParams).chain((params) =>
    params.length === 0 ? fc.constant([] as [string, string][]) : fc.tuple(...params.map((p) => queryValue(p.name, p.schema, fixtures).map((v) => [p.name, v] as [string, string]))),
  );
  // Repeated keys: a declared one sent twice.
  const repeated = declared.length === 0 ? fc.constant([] as [string, string][]) : sometimes(fc.tuple(fc.constantFrom(...declared), oddValue, oddValue), 4).map((r) => (r ? [[r[0], r[1]], [r[0], r[2]]] as [string, string][] : []));
  const extra = sometimes(fc.tuple(fc.constantFrom(...ODD_KEYS), oddValue), 3).map((e) => (e ? [e] : []));
  return fc.tuple(declaredEntries, repeated, extra, fc.boolean()).map(([d, r, e, keyWithoutValue]) => {
    const parts = [...d, ...r].map(([k, v]) => `${pct(k)}=${v}`);
    const undeclared: string[] = [];
    for (const [k, v] of e) {
      parts.push(keyWithoutValue ? pct(k) : `${pct(k)}=${v}`);
      // A bare empty name (`?&`) is no parameter at all.
      if (!declared.includes(k) && !(keyWithoutValue && k === '')) undeclared.push(k);
    }
    return { query: parts.length > 0 ? `?${parts.join('&')}` : '', undeclared };
  });
}

function pathArb(op: Operation, fixtures: Fixtures): fc.Arbitrary<string> {
  if (op.pathParams.length === 0) return fc.constant(op.path);
  const segment = (name: string): fc.Arbitrary<string> => {
    if (name === 'secret') return fc.oneof({ arbitrary: fc.constant(fixtures.webhookSecret), weight: 3 }, { arbitrary: oddValue, weight: 1 }, { arbitrary: fc.constant(fixtures.webhookSecret.toUpperCase()), weight: 1 }, { arbitrary: fc.constant(`${fixtures.webhookSecret}%00`), weight: 1 });
    if (name === 'id') return fc.oneof(fc.constantFrom(...fixtures.userIds).map(pct), oddValue);
    return fc.oneof(fc.integer({ min: 1, max: 60 }).map(String), oddValue);
  };
  return fc.tuple(...op.pathParams.map((name) => segment(name).map((v) => [name, v] as const))).map((values) => {
    let path = op.path;
    for (const [name, value] of values) path = path.replace(`{${name}}`, value);
    return path;
  });
}

const MALFORMED_JSON = ['{', '{"a":', '[1,2', 'nul', '{"a":1}}', '\u0000', '{"a":1,}', "{'a':1}", '{"a":NaN}', '1e999999', '-', '"\\ud800"', '\ufeff{}', '{"a":"\\u00"}', ']', '{"a" 1}'];

function objectText(entries: [string, unknown][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

function deep(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A body and what kind it is (`body` absent: none sent). */
type GeneratedBody = { body?: string; kind: string };

function bodyArb(op: Operation, fixtures: Fixtures): fc.Arbitrary<GeneratedBody> {
  const properties = Object.entries(op.body?.properties ?? {});
  const shaped = fc
    .tuple(
      fc.subarray(properties),
      fc.array(fc.tuple(fc.constantFrom(...ODD_KEYS), fc.jsonValue({ maxDepth: 2 })), { maxLength: 2 }),
      fc.boolean(),
    )
    .chain(([props, extras, wrongTypes]) =>
      (props.length === 0 ? fc.constant([] as [string, unknown][]) : fc.tuple(...props.map(([name, schema]) => (wrongTypes ? fc.jsonValue({ maxDepth: 2 }) : plausible(schema, fixtures)).map((v) => [name, v] as [string, unknown])))).map(
        (entries) => ({ body: objectText([...entries, ...extras]), kind: wrongTypes ? 'wrong types' : 'shaped' }),
      ),
    );
  const base = properties.map(([name, schema]) => [name, schema.enum?.[0] ?? (schema.type === 'integer' ? 1 : 'res.partner')] as [string, unknown]);
  const deepBody = fc.tuple(fc.constantFrom(100, 5_000, 100_000), fc.constantFrom('array' as const, 'object' as const), fc.boolean()).map(([depth, kind, inside]) => ({
    body: inside ? `${objectText(base).slice(0, -1)}${base.length > 0 ? ',' : ''}"deep":${deep(depth, kind)}}` : deep(depth, kind),
    kind: `deep ${depth}`,
  }));
  const huge = fc.constantFrom(-64, 1).map((delta) => {
    const size = fixtures.bodyLimitBytes + delta;
    const prefix = `${objectText(base).slice(0, -1)}${base.length > 0 ? ',' : ''}"pad":"`;
    return { body: `${prefix}${'x'.repeat(Math.max(0, size - prefix.length - 2))}"}`, kind: delta > 0 ? 'over the limit' : 'at the limit' };
  });
  return fc.oneof(
    { arbitrary: fc.constant<GeneratedBody>({ kind: 'none' }), weight: 2 },
    { arbitrary: fc.oneof(fc.constantFrom(...MALFORMED_JSON), fc.string({ maxLength: 30 })).map((body) => ({ body, kind: 'malformed' })), weight: 3 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ body: JSON.stringify(v), kind: 'any json' })), weight: 3 },
    { arbitrary: shaped, weight: 5 },
    { arbitrary: deepBody, weight: 1 },
    { arbitrary: huge, weight: 1 },
  );
}

const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/merge-patch+json', 'multipart/form-data; boundary=x', 'application/json, text/html', 'application/jsonx'];
const AUTH_HEADERS = ['Bearer', 'Bearer ', 'Bearer a b', 'Basic YWRtaW46YWRtaW4=', 'bearer __proto__', 'Bearer \t', 'Digest x', 'Bearer ' + 'x'.repeat(5000)];
const COOKIES = ['odoo_sync_session=__proto__', 'odoo_sync_session=x; odoo_sync_session.sig=y', 'odoo_sync_session=; odoo_sync_session.sig=', 'odoo_sync_session.sig=%', '=', 'a=%zz'];

/** Printable-ASCII text for a header value. */
const headerText = fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim());

/**
 * A hostile request for `op`. `credentials` are the caller's headers (an admin's key most of the
 * time, so that handlers are reached); odd Authorization and Cookie headers replace them now and then.
 */
export function requestArb(op: Operation, fixtures: Fixtures, credentials: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<FuzzRequest> {
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  return fc
    .record({
      method: fc.oneof({ arbitrary: fc.constant(op.method), weight: 19 }, { arbitrary: fc.constantFrom(...methods), weight: 1 }),
      path: pathArb(op, fixtures),
      query: queryArb(op, fixtures),
      body: op.body ? bodyArb(op, fixtures) : fc.oneof({ arbitrary: fc.constant<GeneratedBody>({ kind: 'none' }), weight: 9 }, { arbitrary: fc.constantFrom('{', '{}', 'x').map((body): GeneratedBody => ({ body, kind: 'unexpected' })), weight: 1 }),
      contentType: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 }, { arbitrary: fc.constant(''), weight: 1 }),
      credentials,
      oddAuth: sometimes(fc.oneof(fc.constantFrom(...AUTH_HEADERS), headerText.map((t) => `Bearer ${t}`)), 12),
      oddCookie: sometimes(fc.constantFrom(...COOKIES), 12),
      requestId: sometimes(headerText, 10),
    })
    .map(({ method, path, query, body, contentType, credentials: headers, oddAuth, oddCookie, requestId }) => {
      const all: Record<string, string> = { ...headers };
      if (oddAuth !== null) all['Authorization'] = oddAuth;
      if (oddCookie !== null) all['Cookie'] = oddCookie;
      if (requestId !== null) all['X-Request-Id'] = requestId;
      if (body.body !== undefined && contentType !== '') all['Content-Type'] = contentType;
      return {
        method,
        path: `${path}${query.query}`,
        headers: all,
        ...(body.body !== undefined ? { body: body.body } : {}),
        undeclaredQuery: query.undeclared,
        bodyKind: body.kind,
      };
    });
}
