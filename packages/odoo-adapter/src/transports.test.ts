import { describe, expect, it } from 'vitest';
import { json2Body, splitGenericArgs } from './json2-transport.js';
import { parseVersion } from './transport.js';
import { parseXmlRpcResponse, toXmlRpcValue } from './xmlrpc-transport.js';

describe('JSON-2 bodies', () => {
  it('sends ids, named arguments and kwargs by name', () => {
    expect(
      json2Body({ model: 'res.partner', method: 'search_read', args: [{ name: 'domain', value: [['id', '>', 1]] }], kwargs: { limit: 5, order: undefined, context: { active_test: false } } }),
    ).toEqual({ domain: [['id', '>', 1]], limit: 5, context: { active_test: false } });
    expect(json2Body({ model: 'res.partner', method: 'read', ids: [1, 2], kwargs: { fields: ['name'] } })).toEqual({ ids: [1, 2], fields: ['name'] });
  });

  it('refuses positional arguments, which JSON-2 cannot send', () => {
    expect(() => json2Body({ model: 'res.partner', method: 'x', args: [{ value: 1 }] })).toThrow(expect.objectContaining({ code: 'input_invalid' }));
  });

  it('takes a leading id list of a generic call as the record set', () => {
    expect(splitGenericArgs([[1, 2], 'x'])).toEqual({ ids: [1, 2], rest: ['x'] });
    expect(splitGenericArgs([[['id', '=', 1]]])).toEqual({ ids: undefined, rest: [[['id', '=', 1]]] });
  });
});

describe('XML-RPC messages', () => {
  it('parses a value, a fault, and reports anything else without throwing', async () => {
    const ok = '<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><int>7</int></value></data></array></value></param></params></methodResponse>';
    expect(await parseXmlRpcResponse(ok)).toEqual({ ok: true, value: [7] });
    const fault =
      '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>3</int></value></member><member><name>faultString</name><value><string>Access Denied</string></value></member></struct></value></fault></methodResponse>';
    expect(await parseXmlRpcResponse(fault)).toEqual({ ok: false, fault: { faultCode: 3, faultString: 'Access Denied' } });
    const html = await parseXmlRpcResponse('<html><head><TITLE>502</TITLE></head></html>');
    expect(html.ok).toBe(false);
  });

  it('drops undefined (Python would read an empty value as "") and keeps null as nil', () => {
    expect(toXmlRpcValue({ a: undefined, b: null, c: [undefined, 1], d: { e: undefined } })).toEqual({ b: null, c: [null, 1], d: {} });
  });
});

describe('parseVersion', () => {
  it('reads /web/version and XML-RPC version()', () => {
    expect(parseVersion({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' })).toEqual({ version: '19.0', versionInfo: [19, 0, 0, 'final', 0, ''], major: 19 });
    expect(parseVersion({ server_version: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''], protocol_version: 1 })?.major).toBe(17);
    expect(parseVersion({ server_version: 'saas~18.3', server_version_info: ['saas~18', 3, 0, 'final', 0, ''] })?.major).toBe(18);
    expect(parseVersion('nope')).toBeNull();
  });
});
