/**
 * A small XML-RPC codec: parses `methodCall` requests (int, i4, i8, double, boolean, string,
 * untyped text, array, struct, nil, dateTime.iso8601, base64) and writes answers the way
 * Odoo's Python marshaller does (`<string>` tags, `<double>` for float fields, control
 * characters stripped, faults as a `faultCode`/`faultString` struct). Answers are produced as
 * a sequence of text chunks so large results can be streamed.
 * @module
 */
import type { OdooValue } from './database.js';
import { OdooSimError } from './exceptions.js';
import { LazyRecords } from './methods.js';

/** A parsed XML-RPC request. */
export interface XmlRpcCall {
  /** `methodName`. */
  readonly method: string;
  /** Decoded parameters. */
  readonly params: unknown[];
}

function expatError(message: string, text: string, at: number): OdooSimError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return new OdooSimError('server_error', `${message}: line ${line}, column ${at - lineStart}`, 'xml.parsers.expat.ExpatError');
}

function protocolError(message: string): OdooSimError {
  return new OdooSimError('server_error', message, 'xmlrpc.client.ResponseError');
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string, text: string, at: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (_whole, entity: string | undefined) => {
    if (!entity) throw expatError('not well-formed (invalid token)', text, at);
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    const named = ENTITIES[entity];
    if (named === undefined) throw expatError('undefined entity', text, at);
    return named;
  });
}

function decodeDateTime(text: string): string {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})/.exec(text.trim());
  if (!match) throw new OdooSimError('server_error', `time data '${text}' does not match format '%Y%m%dT%H:%M:%S'`, 'ValueError');
  return `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}`;
}

function decodeScalar(type: string, body: string): unknown {
  switch (type) {
    case 'int':
    case 'i4':
    case 'i8':
      if (!/^\s*[-+]?\d+\s*$/.test(body)) throw new OdooSimError('server_error', `invalid literal for int() with base 10: '${body}'`, 'ValueError');
      return Number.parseInt(body, 10);
    case 'double': {
      const num = Number(body.trim());
      if (body.trim() === '' || Number.isNaN(num)) throw new OdooSimError('server_error', `could not convert string to float: '${body}'`, 'ValueError');
      return num;
    }
    case 'boolean':
      if (body.trim() === '1') return true;
      if (body.trim() === '0') return false;
      throw new OdooSimError('server_error', 'bad boolean value', 'TypeError');
    case 'string':
      return body;
    case 'nil':
      return null;
    case 'dateTime.iso8601':
      return decodeDateTime(body);
    case 'base64':
      return body.replace(/\s+/g, '');
    default:
      throw protocolError(`unknown tag ${JSON.stringify(type)}`);
  }
}

/** One open element while decoding. */
interface Frame {
  readonly tag: string;
  /** Character data (only kept where it means something). */
  text: string;
  /** `<value>`: the typed child's value, if any. */
  typed: boolean;
  value: unknown;
  /** `<array>` items, `<struct>` members, `<params>` values. */
  items?: unknown[];
  object?: Record<string, unknown>;
  /** `<member>`: its name. */
  name?: string;
}

const localName = (tag: string) => (tag.includes(':') ? tag.slice(tag.indexOf(':') + 1) : tag);
const SCALARS = new Set(['int', 'i4', 'i8', 'double', 'boolean', 'string', 'nil', 'dateTime.iso8601', 'base64']);
const TEXT_TAGS = new Set(['value', 'name', 'methodName', ...SCALARS]);

/** A decoded XML-RPC document: a call, an answer or a fault. */
interface Decoded {
  root: string;
  method?: string;
  params: unknown[];
  fault?: unknown;
}

/**
 * Decodes an XML-RPC document in one pass (no tree), which keeps large answers cheap. Malformed
 * XML throws an `ExpatError` (fault 1), as Python's parser does in Odoo.
 */
function decodeDocument(text: string): Decoded {
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|[^<]+|</y;
  const stack: Frame[] = [];
  const result: Decoded = { root: '', params: [] };
  let seenRoot = false;
  let pos = 0;
  const deliver = (value: unknown) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    switch (parent.tag) {
      case 'value':
        parent.typed = true;
        parent.value = value;
        break;
      case 'data':
      case 'param':
        parent.items?.push(value);
        break;
      case 'member':
        parent.value = value;
        parent.typed = true;
        break;
      case 'fault':
        result.fault = value;
        break;
      default:
        throw protocolError(`unexpected value inside <${parent.tag}>`);
    }
  };
  const close = (frame: Frame) => {
    const local = localName(frame.tag);
    if (SCALARS.has(local)) { deliver(decodeScalar(local, frame.text)); return; }
    switch (frame.tag) {
      case 'value':
        { deliver(frame.typed ? frame.value : frame.text); return; }
      case 'data': {
        const array = stack[stack.length - 1];
        if (array?.tag === 'array') array.items = frame.items ?? [];
        return;
      }
      case 'array':
        { deliver(frame.items ?? []); return; }
      case 'struct':
        { deliver(frame.object ?? {}); return; }
      case 'name': {
        const member = stack[stack.length - 1];
        if (member?.tag === 'member') member.name = frame.text;
        return;
      }
      case 'member': {
        const struct = stack[stack.length - 1];
        if (frame.name === undefined || !frame.typed) throw protocolError('struct member without name or value');
        if (struct?.tag === 'struct') (struct.object ??= {})[frame.name] = frame.value;
        return;
      }
      case 'param': {
        const params = stack[stack.length - 1];
        if (!frame.items || frame.items.length !== 1) throw protocolError('param without value');
        if (params?.tag === 'params') result.params.push(frame.items[0]);
        return;
      }
      case 'methodName':
        result.method = frame.text.trim();
        return;
      default:
        return;
    }
  };
  while (pos < text.length) {
    token.lastIndex = pos;
    const match = token.exec(text);
    if (!match) throw expatError('not well-formed (invalid token)', text, pos);
    const whole = match[0];
    const at = pos;
    pos += whole.length;
    if (whole === '<') throw expatError('not well-formed (invalid token)', text, at);
    if (whole === '<!DOCTYPE') throw expatError('DOCTYPE is not allowed', text, at);
    if (whole.startsWith('<!--') || whole.startsWith('<?')) continue;
    const top = stack[stack.length - 1];
    if (match[1] !== undefined || whole.charCodeAt(0) !== 60) {
      // Character data (or CDATA).
      const data = match[1] !== undefined ? match[1] : decodeEntities(whole, text, at);
      if (!top) {
        if (data.trim() !== '') throw expatError(seenRoot ? 'junk after document element' : 'syntax error', text, at);
        continue;
      }
      if (TEXT_TAGS.has(localName(top.tag))) top.text += data;
      continue;
    }
    const closing = match[2] === '/';
    const tag = match[3] as string;
    const selfClosing = match[5] === '/';
    if (closing) {
      if (!top || top.tag !== tag) throw expatError('mismatched tag', text, at);
      stack.pop();
      close(top);
      continue;
    }
    if (!top) {
      if (seenRoot) throw expatError('junk after document element', text, at);
      seenRoot = true;
      result.root = tag;
    }
    const frame: Frame = { tag, text: '', typed: false, value: undefined };
    if (tag === 'data' || tag === 'param') frame.items = [];
    if (top?.tag === 'value') top.typed = true;
    if (selfClosing) close(frame);
    else stack.push(frame);
  }
  if (stack.length > 0 || !seenRoot) throw expatError('no element found', text, text.length);
  return result;
}

/** Parses an XML-RPC `methodCall`. Malformed input throws Odoo's fault-1 errors. */
export function parseXmlRpcCall(body: string): XmlRpcCall {
  const decoded = decodeDocument(body);
  if (decoded.root !== 'methodCall') throw protocolError(`unknown tag '${decoded.root}'`);
  if (decoded.method === undefined) throw protocolError('methodCall without methodName');
  return { method: decoded.method, params: decoded.params };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Escapes text for XML as Python's marshaller does (`&`, `<`, `>`), dropping control characters. */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Python's `repr` of a float, close enough for clients (`100.0`, `0.5`, `1e-07`). */
export function pythonFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return Object.is(value, -0) ? '-0.0' : `${value}.0`;
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

const MAX_INT = 2 ** 31 - 1;

function encodeValue(value: OdooValue | undefined, floatFields: ReadonlySet<string> | undefined, asDouble: boolean): string {
  if (value === null || value === undefined || value === false) return '<value><boolean>0</boolean></value>\n';
  if (value === true) return '<value><boolean>1</boolean></value>\n';
  if (typeof value === 'number') {
    if (!asDouble && Number.isInteger(value)) {
      if (value > MAX_INT || value < -MAX_INT - 1) throw new OdooSimError('server_error', 'int exceeds XML-RPC limits', 'OverflowError');
      return `<value><int>${value}</int></value>\n`;
    }
    return `<value><double>${pythonFloat(value)}</double></value>\n`;
  }
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>\n`;
  if (Array.isArray(value)) {
    let out = '<value><array><data>\n';
    for (const item of value) out += encodeValue(item, floatFields, false);
    return `${out}</data></array></value>\n`;
  }
  let out = '<value><struct>\n';
  for (const key of Object.keys(value)) {
    out += `<member>\n<name>${escapeXml(key)}</name>\n${encodeValue(value[key], floatFields, floatFields?.has(key) === true)}</member>\n`;
  }
  return `${out}</struct></value>\n`;
}

/**
 * The XML-RPC answer for a result, as chunks (one per element of a top-level array, so a
 * large answer can be streamed).
 *
 * @param floatFields struct members whose numbers are float fields: encoded as `<double>`
 */
export function* xmlRpcResponse(value: OdooValue | LazyRecords, floatFields?: ReadonlySet<string>): Generator<string> {
  yield '<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n';
  if (Array.isArray(value) || value instanceof LazyRecords) {
    yield '<value><array><data>\n';
    for (const item of value instanceof LazyRecords ? value.records() : value) yield encodeValue(item, floatFields, false);
    yield '</data></array></value>\n';
  } else yield encodeValue(value, floatFields, false);
  yield '</param>\n</params>\n\n</methodResponse>\n';
}

/** The XML-RPC fault answer. */
export function xmlRpcFault(faultCode: number, faultString: string): string {
  return (
    '<?xml version="1.0"?>\n<methodResponse>\n<fault>\n<value><struct>\n' +
    `<member>\n<name>faultCode</name>\n<value><int>${faultCode}</int></value>\n</member>\n` +
    `<member>\n<name>faultString</name>\n<value><string>${escapeXml(faultString)}</string></value>\n</member>\n` +
    '</struct></value>\n</fault>\n\n</methodResponse>\n'
  );
}

function* encodeParam(value: unknown): Generator<string> {
  if (value === null || value === undefined) yield '<value><nil/></value>';
  else if (typeof value === 'boolean') yield `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  else if (typeof value === 'number') {
    yield Number.isInteger(value) ? `<value><int>${value}</int></value>` : `<value><double>${pythonFloat(value)}</double></value>`;
  } else if (typeof value === 'string') yield `<value><string>${escapeXml(value)}</string></value>`;
  else if (Array.isArray(value)) {
    yield '<value><array><data>';
    for (const item of value) yield* encodeParam(item);
    yield '</data></array></value>';
  } else if (typeof value === 'object') {
    yield '<value><struct>';
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      yield `<member><name>${escapeXml(key)}</name>`;
      yield* encodeParam(member);
      yield '</member>';
    }
    yield '</struct></value>';
  } else throw new TypeError(`Cannot encode ${typeof value} as XML-RPC.`);
}

/**
 * Builds an XML-RPC `methodCall` body (a client-side helper for tests and scripts).
 *
 * @example
 * ```ts
 * await fetch(`${sim.url}/xmlrpc/2/common`, { method: 'POST', body: xmlRpcRequest('version', []) });
 * ```
 */
export function xmlRpcRequest(method: string, params: readonly unknown[]): string {
  let out = `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(method)}</methodName><params>`;
  for (const param of params) out += `<param>${[...encodeParam(param)].join('')}</param>`;
  return `${out}</params></methodCall>`;
}

/** A decoded XML-RPC answer: a value, or a fault. */
export type XmlRpcAnswer = { fault: false; value: unknown } | { fault: true; faultCode: unknown; faultString: unknown };

/** Decodes an XML-RPC `methodResponse` (a client-side helper for tests and scripts). */
export function parseXmlRpcResponse(body: string): XmlRpcAnswer {
  const decoded = decodeDocument(body);
  if (decoded.root !== 'methodResponse') throw new TypeError(`Not an XML-RPC answer: root element <${decoded.root}>.`);
  if (decoded.fault !== undefined) {
    const struct = (decoded.fault ?? {}) as Record<string, unknown>;
    return { fault: true, faultCode: struct['faultCode'], faultString: struct['faultString'] };
  }
  if (decoded.params.length === 0) throw new TypeError('XML-RPC answer without a value.');
  return { fault: false, value: decoded.params[0] };
}
