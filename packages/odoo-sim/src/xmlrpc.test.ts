import { describe, expect, it } from 'vitest';
import { OdooSimError } from './exceptions.js';
import { escapeXml, parseXmlRpcCall, parseXmlRpcResponse, pythonFloat, xmlRpcFault, xmlRpcRequest, xmlRpcResponse } from './xmlrpc.js';

const call = (params: string) => `<?xml version="1.0"?><methodCall><methodName>m</methodName><params>${params}</params></methodCall>`;
const one = (value: string) => parseXmlRpcCall(call(`<param><value>${value}</value></param>`)).params[0];

describe('parseXmlRpcCall', () => {
  it('decodes every XML-RPC type', () => {
    expect(one('<int>42</int>')).toBe(42);
    expect(one('<i4>-7</i4>')).toBe(-7);
    expect(one('<i8>9007199254740</i8>')).toBe(9007199254740);
    expect(one('<double>1.5</double>')).toBe(1.5);
    expect(one('<boolean>1</boolean>')).toBe(true);
    expect(one('<boolean>0</boolean>')).toBe(false);
    expect(one('<string>Zoë &amp; José &lt;3&gt;</string>')).toBe('Zoë & José <3>');
    expect(one(' untyped text ')).toBe(' untyped text ');
    expect(one('<string/>')).toBe('');
    expect(one('<nil/>')).toBeNull();
    expect(one('<ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/>')).toBeNull();
    expect(one('<dateTime.iso8601>20250102T03:04:05</dateTime.iso8601>')).toBe('2025-01-02 03:04:05');
    expect(one('<base64>aGVs\nbG8=</base64>')).toBe('aGVsbG8=');
    expect(one('<array><data><value><int>1</int></value><value><string>a</string></value></data></array>')).toEqual([1, 'a']);
    expect(one('<array><data/></array>')).toEqual([]);
    expect(one('<struct><member><name>a</name><value><int>1</int></value></member><member><name>b c</name><value><array><data><value><boolean>1</boolean></value></data></array></value></member></struct>')).toEqual({ a: 1, 'b c': [true] });
  });

  it('decodes numeric entities, CDATA and ignores comments', () => {
    expect(one('<string>&#233;&#x1F600;</string>')).toBe('é😀');
    expect(one('<string><![CDATA[<raw & text>]]></string>')).toBe('<raw & text>');
    expect(parseXmlRpcCall(`<!-- hi --><methodCall><!-- x --><methodName> version </methodName></methodCall>`)).toEqual({ method: 'version', params: [] });
  });

  it('rejects malformed XML with an ExpatError (fault 1)', () => {
    for (const body of ['', '<methodCall><methodName>m</methodName>', '<methodCall><a></b></methodCall>', 'not xml', '<methodCall/><junk/>', '<methodCall><methodName>a & b</methodName></methodCall>']) {
      let error: unknown;
      try {
        parseXmlRpcCall(body);
      } catch (caught) {
        error = caught;
      }
      expect(error, body).toBeInstanceOf(OdooSimError);
      expect((error as OdooSimError).faultCode).toBe(1);
    }
    expect(() => one('<boolean>yes</boolean>')).toThrow(OdooSimError);
    expect(() => one('<int>1.5</int>')).toThrow(OdooSimError);
    expect(() => parseXmlRpcCall('<!DOCTYPE x><methodCall/>')).toThrow(/DOCTYPE/);
  });
});

describe('xmlRpcResponse', () => {
  it("writes answers the way Odoo's Python marshaller does", () => {
    const text = [...xmlRpcResponse({ id: 1, name: 'A & <B>', amount: 100, ok: false, ids: [1, 2] }, new Set(['amount']))].join('');
    expect(text).toBe(
      '<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n' +
        '<member>\n<name>id</name>\n<value><int>1</int></value>\n</member>\n' +
        '<member>\n<name>name</name>\n<value><string>A &amp; &lt;B&gt;</string></value>\n</member>\n' +
        '<member>\n<name>amount</name>\n<value><double>100.0</double></value>\n</member>\n' +
        '<member>\n<name>ok</name>\n<value><boolean>0</boolean></value>\n</member>\n' +
        '<member>\n<name>ids</name>\n<value><array><data>\n<value><int>1</int></value>\n<value><int>2</int></value>\n</data></array></value>\n</member>\n' +
        '</struct></value>\n</param>\n</params>\n\n</methodResponse>\n',
    );
  });

  it('never writes <nil/>: null becomes false', () => {
    expect([...xmlRpcResponse(null)].join('')).toContain('<value><boolean>0</boolean></value>');
    expect([...xmlRpcResponse(null)].join('')).not.toContain('nil');
  });

  it('drops XML-illegal control characters and streams top-level arrays item by item', () => {
    const chunks = [...xmlRpcResponse(['a\u0001b\tc', 'd'])];
    expect(chunks.join('')).toContain('<string>ab\tc</string>');
    expect(chunks.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses integers XML-RPC cannot carry, like Python', () => {
    expect(() => [...xmlRpcResponse(2 ** 31)]).toThrow(/int exceeds XML-RPC limits/);
  });

  it('writes faults as a faultCode/faultString struct', () => {
    expect(xmlRpcFault(3, 'Access Denied')).toBe(
      '<?xml version="1.0"?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>3</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Access Denied</string></value>\n</member>\n</struct></value>\n</fault>\n\n</methodResponse>\n',
    );
    expect(parseXmlRpcResponse(xmlRpcFault(2, "Object x doesn't exist"))).toEqual({ fault: true, faultCode: 2, faultString: "Object x doesn't exist" });
  });

  it('round-trips through the client helpers', () => {
    const params = [1, 2.5, true, null, 'é<&>', [1, ['x']], { a: { b: false } }];
    const parsed = parseXmlRpcCall(xmlRpcRequest('execute_kw', params));
    expect(parsed.method).toBe('execute_kw');
    expect(parsed.params).toEqual(params);
  });
});

describe('helpers', () => {
  it('formats floats like Python repr', () => {
    expect(pythonFloat(100)).toBe('100.0');
    expect(pythonFloat(0.5)).toBe('0.5');
    expect(pythonFloat(-0)).toBe('-0.0');
    expect(pythonFloat(1e-7)).toBe('1e-07');
  });

  it('escapes only what XML needs', () => {
    expect(escapeXml('plain "quotes" \'ok\'')).toBe('plain "quotes" \'ok\'');
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });
});
