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

/** A parsed XML-RPC request. */
export interface XmlRpcCall {
  /** `methodName`. */
  readonly method: string;
  /** Decoded parameters. */
  readonly params: unknown[];
}

interface XmlElement {
  readonly name: string;
  readonly children: (XmlElement | string)[];
}

function expatError(message: string, line: number, column = 0): OdooSimError {
  return new OdooSimError('server_error', `${message}: line ${line}, column ${column}`, 'xml.parsers.expat.ExpatError');
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, line: () => number): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (whole, entity: string | undefined) => {
    if (!entity) throw expatError('not well-formed (invalid token)', line());
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    const named = ENTITIES[entity];
    if (named === undefined) throw expatError('undefined entity', line());
    return named;
  });
}

/** Parses an XML document into a minimal element tree (no namespaces, attributes ignored). */
function parseXml(text: string): XmlElement {
  // Sticky regexes, local to one parse (they carry lastIndex).
  const TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  const CLOSE = /<\/([A-Za-z_][\w.:-]*)\s*>/y;
  let pos = 0;
  const lineAt = (at: number) => {
    let line = 1;
    for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  };
  const skipMisc = () => {
    for (;;) {
      while (pos < text.length && /\s/.test(text.charAt(pos))) pos++;
      if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos);
        if (end < 0) throw expatError('unclosed token', lineAt(pos));
        pos = end + 2;
      } else if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) throw expatError('unclosed token', lineAt(pos));
        pos = end + 3;
      } else if (text.startsWith('<!DOCTYPE', pos)) {
        throw expatError('DOCTYPE is not allowed', lineAt(pos));
      } else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (text[pos] !== '<') throw expatError('syntax error', lineAt(pos));
    TAG.lastIndex = pos;
    const match = TAG.exec(text);
    if (!match) throw expatError('not well-formed (invalid token)', lineAt(pos));
    pos += match[0].length;
    const name = match[1] as string;
    const element: XmlElement = { name, children: [] };
    if (match[3] === '/') return element;
    for (;;) {
      if (pos >= text.length) throw expatError('no element found', lineAt(pos));
      if (text.startsWith('</', pos)) {
        CLOSE.lastIndex = pos;
        const close = CLOSE.exec(text);
        if (!close || close[1] !== name) throw expatError('mismatched tag', lineAt(pos));
        pos += close[0].length;
        return element;
      }
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) throw expatError('unclosed token', lineAt(pos));
        pos = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) throw expatError('unclosed CDATA section', lineAt(pos));
        element.children.push(text.slice(pos + 9, end));
        pos = end + 3;
        continue;
      }
      if (text[pos] === '<') {
        element.children.push(parseElement());
        continue;
      }
      const next = text.indexOf('<', pos);
      const end = next < 0 ? text.length : next;
      const at = pos;
      element.children.push(decodeEntities(text.slice(pos, end), () => lineAt(at)));
      pos = end;
    }
  };
  skipMisc();
  if (pos >= text.length) throw expatError('no element found', lineAt(pos));
  const root = parseElement();
  skipMisc();
  if (pos < text.length) throw expatError('junk after document element', lineAt(pos));
  return root;
}

const elements = (element: XmlElement) => element.children.filter((child): child is XmlElement => typeof child !== 'string');
const textOf = (element: XmlElement) => element.children.filter((child): child is string => typeof child === 'string').join('');
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

function decodeDateTime(text: string): string {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})/.exec(text.trim());
  if (!match) throw new OdooSimError('server_error', `time data '${text}' does not match format '%Y%m%dT%H:%M:%S'`, 'ValueError');
  return `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}`;
}

function decodeValue(value: XmlElement): unknown {
  const [typed] = elements(value);
  if (!typed) return textOf(value);
  const body = textOf(typed);
  switch (localName(typed.name)) {
    case 'int':
    case 'i4':
    case 'i8': {
      if (!/^\s*[-+]?\d+\s*$/.test(body)) throw new OdooSimError('server_error', `invalid literal for int() with base 10: '${body}'`, 'ValueError');
      return Number.parseInt(body, 10);
    }
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
    case 'array': {
      const data = elements(typed).find((child) => child.name === 'data');
      return data ? elements(data).filter((child) => child.name === 'value').map(decodeValue) : [];
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const member of elements(typed)) {
        if (member.name !== 'member') continue;
        const parts = elements(member);
        const name = parts.find((child) => child.name === 'name');
        const inner = parts.find((child) => child.name === 'value');
        if (!name || !inner) throw new OdooSimError('server_error', 'struct member without name or value', 'xmlrpc.client.ResponseError');
        out[textOf(name)] = decodeValue(inner);
      }
      return out;
    }
    default:
      throw new OdooSimError('server_error', `unknown tag ${JSON.stringify(typed.name)}`, 'xmlrpc.client.ResponseError');
  }
}

/** Parses an XML-RPC `methodCall`. Malformed input throws Odoo's fault-1 errors. */
export function parseXmlRpcCall(body: string): XmlRpcCall {
  const root = parseXml(body);
  if (root.name !== 'methodCall') throw new OdooSimError('server_error', `unknown tag '${root.name}'`, 'xmlrpc.client.ResponseError');
  const parts = elements(root);
  const nameElement = parts.find((child) => child.name === 'methodName');
  if (!nameElement) throw new OdooSimError('server_error', 'methodCall without methodName', 'xmlrpc.client.ResponseError');
  const paramsElement = parts.find((child) => child.name === 'params');
  const params = paramsElement
    ? elements(paramsElement)
        .filter((child) => child.name === 'param')
        .map((param) => {
          const value = elements(param).find((child) => child.name === 'value');
          if (!value) throw new OdooSimError('server_error', 'param without value', 'xmlrpc.client.ResponseError');
          return decodeValue(value);
        })
    : [];
  return { method: textOf(nameElement).trim(), params };
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
export function* xmlRpcResponse(value: OdooValue, floatFields?: ReadonlySet<string>): Generator<string> {
  yield '<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n';
  if (Array.isArray(value)) {
    yield '<value><array><data>\n';
    for (const item of value) yield encodeValue(item, floatFields, false);
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
  const root = parseXml(body);
  if (root.name !== 'methodResponse') throw new TypeError(`Not an XML-RPC answer: root element <${root.name}>.`);
  const [first] = elements(root);
  if (first?.name === 'fault') {
    const value = elements(first).find((child) => child.name === 'value');
    const struct = (value ? decodeValue(value) : {}) as Record<string, unknown>;
    return { fault: true, faultCode: struct['faultCode'], faultString: struct['faultString'] };
  }
  const param = first ? elements(first).find((child) => child.name === 'param') : undefined;
  const value = param ? elements(param).find((child) => child.name === 'value') : undefined;
  if (!value) throw new TypeError('XML-RPC answer without a value.');
  return { fault: false, value: decodeValue(value) };
}
