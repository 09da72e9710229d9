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

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9_.:-]*)\s*(\/?)>|<\?xml[^>]*\?>/g;
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

type Frame =
  | { kind: 'array'; items: unknown[] }
  | { kind: 'struct'; value: Record<string, unknown>; name: string | undefined }
  | { kind: 'value'; result: unknown; typed: boolean };

/**
 * Parses a `methodResponse`. Returns `undefined` when the document uses anything this reader
 * does not handle exactly as the `xmlrpc` package would; never throws.
 */
export function parseMethodResponseFast(xml: string): FastOutcome | undefined {
  if (xml.includes('<![CDATA[') || xml.includes('<!--') || xml.includes('<!DOCTYPE') || xml.includes('<!doctype')) return undefined;
  try {
    return parse(xml);
  } catch {
    return undefined;
  }
}

function parse(xml: string): FastOutcome | undefined {
  const stack: Frame[] = [];
  let text = '';
  let lastIndex = 0;
  let top: unknown;
  let haveTop = false;
  let mode: 'params' | 'fault' | undefined;
  let sawMethodResponse = false;
  let closedMethodResponse = false;

  const setValue = (value: unknown) => {
    const frame = stack[stack.length - 1];
    if (!frame || frame.kind !== 'value' || frame.typed) throw new Unsupported();
    frame.result = value;
    frame.typed = true;
  };

  TAG.lastIndex = 0;
  for (let match = TAG.exec(xml); match !== null; match = TAG.exec(xml)) {
    const between = xml.slice(lastIndex, match.index);
    lastIndex = TAG.lastIndex;
    if (match[2] === undefined) {
      // The <?xml ...?> declaration: only allowed first.
      if (match.index !== 0) throw new Unsupported();
      continue;
    }
    if (between.includes('<') || between.includes('>')) throw new Unsupported();
    const name = match[2].toLowerCase();
    // As the SAX deserializer: an opening tag starts a fresh text buffer; a closing tag reads
    // the text gathered since the last opening tag.
    if (match[1] === '/') {
      text += between;
      closeTag(name);
      continue;
    }
    openTag(name);
    text = '';
    if (match[3] === '/') closeTag(name);
  }
  if (xml.slice(lastIndex).trim() !== '') throw new Unsupported();
  if (!sawMethodResponse || !closedMethodResponse || stack.length !== 0 || !haveTop || mode === undefined) throw new Unsupported();
  if (mode === 'params') return { ok: true, value: top };
  const fault = top as Record<string, unknown> | null;
  if (fault === null || typeof fault !== 'object' || !('faultCode' in fault)) throw new Unsupported();
  return { ok: false, fault: { faultCode: fault['faultCode'], faultString: fault['faultString'] } };

  function openTag(name: string): void {
    switch (name) {
      case 'methodresponse':
        if (sawMethodResponse) throw new Unsupported();
        sawMethodResponse = true;
        return;
      case 'params':
      case 'fault':
        if (mode !== undefined) throw new Unsupported();
        mode = name;
        return;
      case 'param':
      case 'data':
      case 'member':
        return;
      case 'name':
        return;
      case 'value':
        stack.push({ kind: 'value', result: undefined, typed: false });
        return;
      case 'array':
        stack.push({ kind: 'array', items: [] });
        return;
      case 'struct':
        stack.push({ kind: 'struct', value: {}, name: undefined });
        return;
      case 'int':
      case 'i4':
      case 'i8':
      case 'double':
      case 'boolean':
      case 'string':
      case 'nil':
        return;
      default:
        // dateTime.iso8601, base64 and anything unknown: the library's way.
        throw new Unsupported();
    }
  }

  function closeTag(name: string): void {
    const data = text;
    switch (name) {
      case 'int':
      case 'i4': {
        const value = Number.parseInt(data, 10);
        if (Number.isNaN(value)) throw new Unsupported();
        setValue(value);
        return;
      }
      case 'i8':
        if (!/^-?\d+$/.test(data)) throw new Unsupported();
        setValue(data);
        return;
      case 'double': {
        const value = Number.parseFloat(data);
        if (Number.isNaN(value)) throw new Unsupported();
        setValue(value);
        return;
      }
      case 'boolean':
        if (data !== '0' && data !== '1') throw new Unsupported();
        setValue(data === '1');
        return;
      case 'string':
        setValue(decode(data));
        return;
      case 'nil':
        setValue(null);
        return;
      case 'name': {
        const frame = stack[stack.length - 1];
        if (!frame || frame.kind !== 'struct' || frame.name !== undefined) throw new Unsupported();
        frame.name = decode(data);
        return;
      }
      case 'array': {
        const frame = stack.pop();
        if (!frame || frame.kind !== 'array') throw new Unsupported();
        setValue(frame.items);
        return;
      }
      case 'struct': {
        const frame = stack.pop();
        if (!frame || frame.kind !== 'struct' || frame.name !== undefined) throw new Unsupported();
        setValue(frame.value);
        return;
      }
      case 'value': {
        const frame = stack.pop();
        if (!frame || frame.kind !== 'value') throw new Unsupported();
        // A value without a type tag is a string of its text, as in XML-RPC.
        const value = frame.typed ? frame.result : decode(data);
        const parent = stack[stack.length - 1];
        if (!parent) {
          if (haveTop) throw new Unsupported();
          top = value;
          haveTop = true;
        } else if (parent.kind === 'array') parent.items.push(value);
        else if (parent.kind === 'struct') {
          if (parent.name === undefined) throw new Unsupported();
          parent.value[parent.name] = value;
          parent.name = undefined;
        } else throw new Unsupported();
        return;
      }
      case 'methodresponse':
        closedMethodResponse = true;
        return;
      default:
        return;
    }
  }
}
