import { describe, expect, it } from 'vitest';
import { parseMethodResponseFast } from './xmlrpc-fast.js';
import { parseXmlRpcResponse } from './xmlrpc-transport.js';

/** Python's xmlrpc.client.dumps output for a result, as Odoo sends it. */
function pythonDumps(value: unknown): string {
  const encode = (v: unknown): string => {
    if (v === null) return '<value><nil/></value>';
    if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
    if (typeof v === 'number') return Number.isInteger(v) ? `<value><int>${v}</int></value>` : `<value><double>${v}</double></value>`;
    if (typeof v === 'string') return `<value><string>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</string></value>`;
    if (Array.isArray(v)) return `<value><array><data>\n${v.map(encode).join('\n')}\n</data></array></value>`;
    const members = Object.entries(v as Record<string, unknown>).map(([k, item]) => `<member>\n<name>${k}</name>\n${encode(item)}\n</member>`);
    return `<value><struct>\n${members.join('\n')}\n</struct></value>`;
  };
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${encode(value)}\n</param>\n</params>\n</methodResponse>\n`;
}

async function both(xml: string) {
  const slow = await parseXmlRpcResponse(xml);
  return { fast: parseMethodResponseFast(xml), slow };
}

describe('parseMethodResponseFast', () => {
  it('reads Odoo rows exactly as the xmlrpc package does', async () => {
    const rows = [
      { id: 1, name: 'Zoë & Co <b>', email: false, parent_id: [3, 'Acme, "Inc"'], amount: 12.5, active: true, tags: [], note: '' },
      { id: 2, name: '  spaced\n\tout  ', email: 'a@b.c', parent_id: false, amount: -0.25, active: false, tags: [1, 2], note: '&#233;' },
    ];
    const { fast, slow } = await both(pythonDumps(rows));
    expect(fast).toEqual(slow);
    expect(fast).toEqual({ ok: true, value: rows });
  });

  it('reads untyped values, self-closing tags, numeric entities and i8 like the package', async () => {
    const xml =
      '<?xml version="1.0"?><methodResponse><params><param><value><array><data>' +
      '<value>plain text</value><value/><value><string/></value><value><nil/></value>' +
      '<value><string>caf&#233; &#x263A; &quot;q&quot; &apos;a&apos;</string></value><value><i8>9007199254740993</i8></value>' +
      '<value><i4>-4</i4></value>' +
      '</data></array></value></param></params></methodResponse>';
    const { fast, slow } = await both(xml);
    expect(fast).toEqual(slow);
  });

  it('reads faults like the package', async () => {
    const xml =
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>2</int></value>\n</member>\n" +
      "<member>\n<name>faultString</name>\n<value><string>Object crm.lead doesn't exist</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n";
    const { fast, slow } = await both(xml);
    expect(fast).toEqual(slow);
    expect(fast).toEqual({ ok: false, fault: { faultCode: 2, faultString: "Object crm.lead doesn't exist" } });
  });

  it.each([
    ['HTML', '<!DOCTYPE html><html><head><TITLE>502 Bad Gateway</TITLE></head></html>'],
    ['CDATA', '<methodResponse><params><param><value><string><![CDATA[x]]></string></value></param></params></methodResponse>'],
    ['a date', '<methodResponse><params><param><value><dateTime.iso8601>20250101T10:00:00</dateTime.iso8601></value></param></params></methodResponse>'],
    ['base64', '<methodResponse><params><param><value><base64>aGk=</base64></value></param></params></methodResponse>'],
    ['truncated', '<methodResponse><params><param><value><array><data><value><int>1</int></value>'],
    ['attributes', '<methodResponse><params><param><value type="x"><int>1</int></value></param></params></methodResponse>'],
    ['an unknown entity', '<methodResponse><params><param><value><string>&nbsp;</string></value></param></params></methodResponse>'],
    ['two params', '<methodResponse><params><param><value><int>1</int></value></param><param><value><int>2</int></value></param></params></methodResponse>'],
  ])('leaves %s to the package', (_, xml) => {
    expect(parseMethodResponseFast(xml)).toBeUndefined();
  });
});
