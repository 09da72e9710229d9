/**
 * A fast reader of the XML-RPC answers Odoo sends (Python's `xmlrpc.client` output): about ten
 * times faster than the `xmlrpc` package's SAX deserializer, which spends ~150 ms — blocking
 * the event loop — on a 1000-row page. It gives the same values as that deserializer, and
 * returns `undefined` for anything it does not know for certain (CDATA, comments, unknown
 * entities or tags, `dateTime.iso8601`, `base64`, malformed XML), so the caller hands those to
 * the package's deserializer and behaviour stays the library's.
 * @module
 */

/** A parsed answer: a value or a fault. */
export type FastOutcome = { ok: true; value: unknown } | { ok: false; fault: { faultCode: unknown; faultString: unknown } };

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Thrown inside the parser to mean "not for me": the caller falls back. */
class Unsupported extends Error {}

function decode(text: string): string {
  if (!text.includes('&')) return text;
  const decoded = text.replace(ENTITY, (_, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity]!;
    const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
    if (!(code >= 0 && code <= 0x10ffff)) throw new Unsupported();
    return String.fromCodePoint(code);
  });
  if (decoded.includes('&') && /&[^;\s]*;/.test(text.replace(ENTITY, ''))) throw new Unsupported();
  return decoded;
}

const VALUE = 0;
const ARRAY = 1;
const STRUCT = 2;

/**
 * One open `<value>`, `<array>` or `<struct>`. Frames are reused by depth across the document,
 * so reading a page allocates only the values themselves.
 */
interface Frame {
  kind: number;
  /** `<value>`: whether a typed child gave it a value, and that value. */
  typed: boolean;
  result: unknown;
  /** `<array>`: its items. */
  items: unknown[];
  /** `<struct>`: its members, and the name of the member being read. */
  members: Record<string, unknown>;
  name: string | undefined;
  /** `<struct>`: how many members it has had. */
  count: number;
}

// Tag ids, so that the loop compares numbers, not strings.
const T_OTHER = 0;
const T_VALUE = 1;
const T_STRING = 2;
const T_INT = 3;
const T_I4 = 4;
const T_I8 = 5;
const T_DOUBLE = 6;
const T_BOOLEAN = 7;
const T_NIL = 8;
const T_NAME = 9;
const T_MEMBER = 10;
const T_ARRAY = 11;
const T_DATA = 12;
const T_STRUCT = 13;
const T_PARAM = 14;
const T_PARAMS = 15;
const T_FAULT = 16;
const T_METHOD_RESPONSE = 17;

const TAG_IDS: ReadonlyMap<string, number> = new Map([
  ['value', T_VALUE], ['string', T_STRING], ['int', T_INT], ['i4', T_I4], ['i8', T_I8], ['double', T_DOUBLE],
  ['boolean', T_BOOLEAN], ['nil', T_NIL], ['name', T_NAME], ['member', T_MEMBER], ['array', T_ARRAY], ['data', T_DATA],
  ['struct', T_STRUCT], ['param', T_PARAM], ['params', T_PARAMS], ['fault', T_FAULT], ['methodresponse', T_METHOD_RESPONSE],
]);

/** `id` when `xml` holds `name` at `start`; no closure, so nothing is allocated per tag. */
function at(xml: string, start: number, name: string, id: number): number {
  for (let i = 0; i < name.length; i++) if (xml.charCodeAt(start + i) !== name.charCodeAt(i)) return T_OTHER;
  return id;
}

/** The id of the lower-case tag name at `xml[start, end)`, without slicing it out. */
function tagIdAt(xml: string, start: number, end: number): number {
  switch (end - start) {
    case 2:
      return xml.charCodeAt(start) !== 105 ? T_OTHER : xml.charCodeAt(start + 1) === 52 ? T_I4 : xml.charCodeAt(start + 1) === 56 ? T_I8 : T_OTHER;
    case 3:
      return xml.charCodeAt(start) === 105 ? at(xml, start, 'int', T_INT) : at(xml, start, 'nil', T_NIL);
    case 4:
      return xml.charCodeAt(start) === 110 ? at(xml, start, 'name', T_NAME) : at(xml, start, 'data', T_DATA);
    case 5:
      switch (xml.charCodeAt(start)) {
        case 118:
          return at(xml, start, 'value', T_VALUE);
        case 97:
          return at(xml, start, 'array', T_ARRAY);
        case 112:
          return at(xml, start, 'param', T_PARAM);
        default:
          return at(xml, start, 'fault', T_FAULT);
      }
    case 6:
      switch (xml.charCodeAt(start)) {
        case 115:
          return xml.charCodeAt(start + 3) === 105 ? at(xml, start, 'string', T_STRING) : at(xml, start, 'struct', T_STRUCT);
        case 109:
          return at(xml, start, 'member', T_MEMBER);
        case 100:
          return at(xml, start, 'double', T_DOUBLE);
        default:
          return at(xml, start, 'params', T_PARAMS);
      }
    case 7:
      return at(xml, start, 'boolean', T_BOOLEAN);
    default:
      return T_OTHER;
  }
}

const NO_ITEMS: unknown[] = [];
const NO_MEMBERS: Record<string, unknown> = {};

/** XML name characters this reader accepts in a tag: `[A-Za-z0-9_.:-]`. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45;
}

/** XML white space: space, tab, CR, LF. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Whether `xml[start, end)` is `text`. */
function sameText(xml: string, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (xml.charCodeAt(start + i) !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The integer written at `xml[start, end)`, read from the char codes when it is plain digits
 * (the usual case: nothing to slice), else as `Number.parseInt(text, 10)` reads it.
 */
function intAt(xml: string, start: number, end: number): number {
  const negative = xml.charCodeAt(start) === 45;
  let i = negative ? start + 1 : start;
  if (i < end && end - i <= 15) {
    let value = 0;
    for (; i < end; i++) {
      const digit = xml.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === end) return negative ? -value : value;
  }
  const value = Number.parseInt(xml.slice(start, end), 10);
  if (Number.isNaN(value)) throw new Unsupported();
  return value;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Parses a `methodResponse`. Returns `undefined` when the document uses anything this reader
 * does not handle exactly as the `xmlrpc` package would; never throws.
 */
export function parseMethodResponseFast(xml: string): FastOutcome | undefined {
  // CDATA, comments and DOCTYPE (`<!`) are not tags to the reader below: it gives up on them.
  try {
    return parse(xml);
  } catch {
    return undefined;
  }
}

/**
 * One pass over the text with `indexOf` and char codes (no regular expression, no slice but the
 * texts that become values). Stricter than XML where being exact would cost: anything odd throws
 * {@link Unsupported} and the package's deserializer decides.
 */
function parse(xml: string): FastOutcome | undefined {
  const frames: Frame[] = [];
  let depth = 0;
  let top: unknown;
  let haveTop = false;
  let mode: 'params' | 'fault' | undefined;
  let sawMethodResponse = false;
  let closedMethodResponse = false;
  // Text of an element is what lies between its opening tag and its closing tag, read only when
  // no other tag came between (the package would join the pieces; this reader leaves that to it).
  let textStart = 0;
  let lastOpen = T_OTHER;
  let plainText = false;
  // The member names met so far, by position in their struct: rows of a page repeat the same
  // names in the same order, and handing V8 the same string again makes storing the member
  // cheap (no new string to slice, hash and internalize per row).
  const names: string[] = [];

  let pos = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end === -1 || xml.indexOf('>') !== end + 1) throw new Unsupported();
    pos = end + 2;
  }
  const length = xml.length;
  for (;;) {
    const lt = xml.indexOf('<', pos);
    if (lt === -1) {
      if (!isBlank(xml, pos, length)) throw new Unsupported();
      break;
    }
    if (!haveTop && depth === 0 && !sawMethodResponse && !isBlank(xml, pos, lt)) throw new Unsupported();
    let i = lt + 1;
    const closing = xml.charCodeAt(i) === 47;
    if (closing) i++;
    const nameStart = i;
    let c = xml.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) throw new Unsupported();
    let upper = c <= 90;
    // The tag ends at the first character that is not part of its name: white space, '/' or '>'
    // (past the end of the text, charCodeAt gives NaN, which is none of them).
    for (i++; ; i++) {
      c = xml.charCodeAt(i);
      if (!isNameChar(c)) break;
      if (c >= 65 && c <= 90) upper = true;
    }
    const tag = upper ? (TAG_IDS.get(xml.slice(nameStart, i).toLowerCase()) ?? T_OTHER) : tagIdAt(xml, nameStart, i);
    while (isSpace(c)) c = xml.charCodeAt(++i);
    const selfClosing = c === 47;
    if (selfClosing) i++;
    if (xml.charCodeAt(i) !== 62 || (closing && selfClosing)) throw new Unsupported();
    pos = i + 1;
    if (closing) {
      closeTag(tag, lt);
      plainText = false;
      continue;
    }
    openTag(tag);
    if (selfClosing) {
      closeTag(tag, -1);
      plainText = false;
    } else {
      textStart = pos;
      lastOpen = tag;
      plainText = true;
    }
  }
  if (!sawMethodResponse || !closedMethodResponse || depth !== 0 || !haveTop || mode === undefined) throw new Unsupported();
  if (mode === 'params') return { ok: true, value: top };
  const fault = top as Record<string, unknown> | null;
  if (fault === null || typeof fault !== 'object' || !('faultCode' in fault)) throw new Unsupported();
  return { ok: false, fault: { faultCode: fault['faultCode'], faultString: fault['faultString'] } };

  function push(kind: number): Frame {
    let frame = frames[depth];
    if (frame === undefined) {
      frame = { kind, typed: false, result: undefined, items: NO_ITEMS, members: NO_MEMBERS, name: undefined, count: 0 };
      frames.push(frame);
    }
    depth++;
    frame.kind = kind;
    return frame;
  }

  function setValue(value: unknown): void {
    const frame = depth > 0 ? frames[depth - 1]! : undefined;
    if (!frame || frame.kind !== VALUE || frame.typed) throw new Unsupported();
    frame.result = value;
    frame.typed = true;
  }

  function openTag(tag: number): void {
    switch (tag) {
      case T_VALUE: {
        const frame = push(VALUE);
        frame.typed = false;
        frame.result = undefined;
        return;
      }
      case T_MEMBER:
      case T_NAME:
      case T_DATA:
      case T_INT:
      case T_I4:
      case T_I8:
      case T_DOUBLE:
      case T_BOOLEAN:
      case T_STRING:
      case T_NIL:
      case T_PARAM:
        return;
      case T_ARRAY:
        push(ARRAY).items = [];
        return;
      case T_STRUCT: {
        const frame = push(STRUCT);
        frame.members = {};
        frame.name = undefined;
        frame.count = 0;
        return;
      }
      case T_METHOD_RESPONSE:
        if (sawMethodResponse) throw new Unsupported();
        sawMethodResponse = true;
        return;
      case T_PARAMS:
      case T_FAULT:
        if (mode !== undefined) throw new Unsupported();
        mode = tag === T_PARAMS ? 'params' : 'fault';
        return;
      default:
        // dateTime.iso8601, base64 and anything unknown: the library's way.
        throw new Unsupported();
    }
  }

  /**
   * `end` is where the closing tag starts, or -1 for a self-closing tag. The element's text is
   * `undefined` when other tags came between (see above).
   */
  function closeTag(tag: number, end: number): void {
    if (tag !== T_NAME && tag !== T_VALUE && (tag < T_STRING || tag > T_NIL)) {
      closeStructure(tag);
      return;
    }
    if (tag === T_NAME) {
      closeName(end);
      return;
    }
    if (tag === T_INT || tag === T_I4) {
      if (end === -1 || !plainText || lastOpen !== tag) throw new Unsupported();
      setValue(intAt(xml, textStart, end));
      return;
    }
    const data = end === -1 ? '' : plainText && lastOpen === tag ? xml.slice(textStart, end) : undefined;
    switch (tag) {
      case T_VALUE: {
        if (depth === 0) throw new Unsupported();
        const frame = frames[--depth]!;
        if (frame.kind !== VALUE) throw new Unsupported();
        let value: unknown;
        if (frame.typed) {
          value = frame.result;
          frame.result = undefined;
        } else if (data === undefined) throw new Unsupported();
        // A value without a type tag is a string of its text, as in XML-RPC.
        else value = decode(data);
        if (depth === 0) {
          if (haveTop) throw new Unsupported();
          top = value;
          haveTop = true;
          return;
        }
        const parent = frames[depth - 1]!;
        if (parent.kind === ARRAY) parent.items.push(value);
        else if (parent.kind === STRUCT) {
          if (parent.name === undefined) throw new Unsupported();
          parent.members[parent.name] = value;
          parent.name = undefined;
        } else throw new Unsupported();
        return;
      }
      case T_STRING:
        if (data === undefined) throw new Unsupported();
        setValue(decode(data));
        return;
      case T_BOOLEAN:
        if (data !== '0' && data !== '1') throw new Unsupported();
        setValue(data === '1');
        return;
      case T_NIL:
        setValue(null);
        return;
      case T_I8:
        if (data === undefined || !/^-?\d+$/.test(data)) throw new Unsupported();
        setValue(data);
        return;
      case T_DOUBLE: {
        if (data === undefined) throw new Unsupported();
        const value = Number.parseFloat(data);
        if (Number.isNaN(value)) throw new Unsupported();
        setValue(value);
        return;
      }
      default:
        return;
    }
  }

  function closeName(end: number): void {
    const frame = depth > 0 ? frames[depth - 1]! : undefined;
    if (!frame || frame.kind !== STRUCT || frame.name !== undefined) throw new Unsupported();
    if (end === -1) frame.name = '';
    else {
      if (!plainText || lastOpen !== T_NAME) throw new Unsupported();
      const known = names[frame.count];
      if (known !== undefined && sameText(xml, textStart, end, known)) frame.name = known;
      else {
        const raw = xml.slice(textStart, end);
        frame.name = decode(raw);
        if (frame.name === raw) names[frame.count] = raw;
      }
    }
    frame.count++;
  }

  function closeStructure(tag: number): void {
    switch (tag) {
      case T_ARRAY: {
        if (depth === 0) throw new Unsupported();
        const frame = frames[--depth]!;
        if (frame.kind !== ARRAY) throw new Unsupported();
        const items = frame.items;
        frame.items = NO_ITEMS;
        setValue(items);
        return;
      }
      case T_STRUCT: {
        if (depth === 0) throw new Unsupported();
        const frame = frames[--depth]!;
        if (frame.kind !== STRUCT || frame.name !== undefined) throw new Unsupported();
        const members = frame.members;
        frame.members = NO_MEMBERS;
        setValue(members);
        return;
      }
      case T_METHOD_RESPONSE:
        closedMethodResponse = true;
        return;
      default:
        return;
    }
  }
}
