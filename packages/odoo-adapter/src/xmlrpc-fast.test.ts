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

  const wrap = (inner: string) => `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${inner}\n</param>\n</params>\n</methodResponse>\n`;

  it.each([
    ['escapes in strings and names', wrap('<value><struct><member><name>a&amp;b</name><value><string>&lt;x&gt; &amp;amp; &#38;</string></value></member></struct></value>'), [{ 'a&b': '<x> &amp; &' }]],
    ['unicode, astral and two-byte text', wrap('<value><array><data><value><string>Zoë 漢字 😀 &#x1F600;</string></value><value>naïve</value></data></array></value>'), [['Zoë 漢字 😀 😀', 'naïve']]],
    ['nested structs and arrays, empty ones too', wrap('<value><struct><member><name>a</name><value><struct><member><name>b</name><value><array><data><value><struct></struct></value><value><array><data></data></array></value></data></array></value></member></struct></value></member></struct></value>'), [{ a: { b: [{}, []] } }]],
    ['booleans, nil and false', wrap('<value><array><data><value><boolean>0</boolean></value><value><boolean>1</boolean></value><value><nil/></value><value><nil></nil></value></data></array></value>'), [[false, true, null, null]]],
    ['doubles, int, i4 and i8', wrap('<value><array><data><value><double>-0.5</double></value><value><double>1e+20</double></value><value><double>3.0</double></value><value><int>-2147483648</int></value><value><i4>7</i4></value><value><i8>-9007199254740993</i8></value></data></array></value>'), [[-0.5, 1e20, 3, -2147483648, 7, '-9007199254740993']]],
    ['ints in every form parseInt takes', wrap('<value><array><data><value><int> 12 </int></value><value><int>+5</int></value><value><int>0012</int></value><value><int>-0</int></value><value><i4>123456789012345678</i4></value><value><int>9x</int></value></data></array></value>'), [[12, 5, 12, -0, 123456789012345680, 9]]],
    ['tags in capitals and white space before ">"', wrap('<VALUE ><Array><DATA><value><INT>4</INT ></value><value><String>s</String></value></DATA></Array></VALUE>'), [[4, 's']]],
    ['a ">" in text', wrap('<value><array><data><value><string>a > b</string></value><value>c>d</value></data></array></value>'), [['a > b', 'c>d']]],
    ['empty and self-closing texts', wrap('<value><struct><member><name/><value><string></string></value></member><member><name>x</name><value></value></member></struct></value>'), [{ '': '', x: '' }]],
    [
      'rows whose member names change at the same place',
      wrap('<value><array><data><value><struct><member><name>id</name><value><int>1</int></value></member><member><name>name</name><value><string>a</string></value></member></struct></value><value><struct><member><name>id</name><value><int>2</int></value></member><member><name>nome</name><value><string>b</string></value></member><member><name>n&amp;e</name><value><int>3</int></value></member></struct></value><value><struct><member><name>id</name><value><int>4</int></value></member><member><name>nam</name><value><string>c</string></value></member><member><name>n&amp;e</name><value><int>5</int></value></member></struct></value></data></array></value>'),
      [[{ id: 1, name: 'a' }, { id: 2, nome: 'b', 'n&e': 3 }, { id: 4, nam: 'c', 'n&e': 5 }]],
    ],
  ])('reads %s exactly as the package does', async (_, xml, expected) => {
    const { fast, slow } = await both(xml);
    expect(fast).toBeDefined();
    expect(fast).toEqual(slow);
    expect(fast).toEqual({ ok: true, value: expected[0] });
  });

  it.each([
    ['HTML', '<!DOCTYPE html><html><head><TITLE>502 Bad Gateway</TITLE></head></html>'],
    ['CDATA', '<methodResponse><params><param><value><string><![CDATA[x]]></string></value></param></params></methodResponse>'],
    ['a date', '<methodResponse><params><param><value><dateTime.iso8601>20250101T10:00:00</dateTime.iso8601></value></param></params></methodResponse>'],
    ['base64', '<methodResponse><params><param><value><base64>aGk=</base64></value></param></params></methodResponse>'],
    ['truncated', '<methodResponse><params><param><value><array><data><value><int>1</int></value>'],
    ['attributes', '<methodResponse><params><param><value type="x"><int>1</int></value></param></params></methodResponse>'],
    ['an unknown entity', '<methodResponse><params><param><value><string>&nbsp;</string></value></param></params></methodResponse>'],
    ['text split by a tag', wrap('<value><string>a</string>b</value>').replace('<string>a</string>b', 'a<nil/>b<i4>1</i4>')],
    ['a member name split by a tag', wrap('<value><struct><member><name>a</member>b</name><value><int>1</int></value></member></struct></value>')],
    ['a comment', wrap('<value><string>a<!-- x --></string></value>')],
    ['text before the document', `junk${wrap('<value><int>1</int></value>').replace("<?xml version='1.0'?>", '')}`],
    ['a processing instruction later on', wrap('<?pi x?><value><int>1</int></value>')],
    ['a closing tag that also self-closes', wrap('<value><int>1</int/></value>')],
    ['two params', '<methodResponse><params><param><value><int>1</int></value></param><param><value><int>2</int></value></param></params></methodResponse>'],
  ])('leaves %s to the package', (_, xml) => {
    expect(parseMethodResponseFast(xml)).toBeUndefined();
  });
});
