import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xmlRpcRequest } from '../src/xmlrpc.js';
import { executeKw, rawXmlRpc, useEmptySim, useSim, xmlrpc, xmlrpcFault } from './helpers.js';

describe('XML-RPC /xmlrpc/2/common', () => {
  it('answers version() with the simulated version', async () => {
    const sim = await useSim({ version: '17.0' });
    expect(await xmlrpc(sim, 'common', 'version', [])).toEqual({
      server_version: '17.0',
      server_version_info: [17, 0, 0, 'final', 0, ''],
      server_serie: '17.0',
      protocol_version: 1,
    });
  });

  it('authenticate returns the uid, or false (not a fault) on bad credentials', async () => {
    const sim = await useSim();
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'admin', 'admin', {}])).toBe(2);
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'admin', sim.credentials.apiKey, {}])).toBe(2);
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'admin', 'wrong', {}])).toBe(false);
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'nobody', 'admin', {}])).toBe(false);
    expect(await xmlrpc(sim, 'common', 'login', [sim.db, 'admin', 'admin'])).toBe(2);
    expect(await xmlrpc(sim, 'common', 'login', [sim.db, 'admin', 'nope'])).toBe(false);
  });

  it('lets extra users in with their password or API key, and not archived ones', async () => {
    const sim = await useSim({ users: [{ login: 'ana@example.com', password: 'pw', apiKey: 'k-ana', name: 'Ana Souza' }] });
    const uid = await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'ana@example.com', 'pw', {}]);
    expect(typeof uid).toBe('number');
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'ana@example.com', 'k-ana', {}])).toBe(uid);
    sim.write('res.users', [uid as number], { active: false });
    expect(await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'ana@example.com', 'pw', {}])).toBe(false);
  });

  it('faults with a traceback (code 1) for an unknown database or method', async () => {
    const sim = await useSim();
    const wrongDb = await xmlrpcFault(xmlrpc(sim, 'common', 'authenticate', ['other', 'admin', 'admin', {}]));
    expect(wrongDb.faultCode).toBe(1);
    expect(wrongDb.faultString).toMatch(/^Traceback \(most recent call last\):/);
    expect(wrongDb.faultString).toMatch(/database "other" does not exist/);
    const unknown = await xmlrpcFault(xmlrpc(sim, 'common', 'frobnicate', []));
    expect(unknown.faultCode).toBe(1);
    expect(unknown.faultString).toMatch(/Method not found: frobnicate/);
  });
});

describe('XML-RPC /xmlrpc/2/object execute_kw', () => {
  it('answers in Odoo’s format: false for empty, many2one pairs, x2many id lists, UTC datetimes, <double> floats', async () => {
    const now = new Date('2026-03-04T05:06:07.890Z');
    const sim = await useEmptySim({ now: () => now });
    const company = sim.create('res.partner', { name: 'Müller GmbH', is_company: true });
    const person = sim.create('res.partner', { name: 'Zoë Müller', parent_id: company });
    const lead = sim.create('crm.lead', { name: 'Deal', partner_id: person, expected_revenue: 1000, probability: 12.5 });
    const [row] = (await executeKw(sim, 'res.partner', 'read', [[person], ['name', 'email', 'parent_id', 'child_ids', 'write_date', 'create_date', 'display_name']])) as Record<string, unknown>[];
    expect(row).toEqual({
      id: person,
      name: 'Zoë Müller',
      email: false,
      parent_id: [company, 'Müller GmbH'],
      child_ids: [],
      write_date: '2026-03-04 05:06:07',
      create_date: '2026-03-04 05:06:07',
      display_name: 'Müller GmbH, Zoë Müller',
    });
    const [companyRow] = (await executeKw(sim, 'res.partner', 'read', [company, ['child_ids', 'commercial_partner_id']])) as Record<string, unknown>[];
    expect(companyRow).toEqual({ id: company, child_ids: [person], commercial_partner_id: [company, 'Müller GmbH'] });
    const raw = await rawXmlRpc(
      sim,
      'object',
      xmlRpcRequest('execute_kw', [sim.db, 2, 'admin', 'crm.lead', 'read', [[lead], ['expected_revenue', 'probability', 'date_deadline', 'stage_id']]]),
    );
    expect(raw.status).toBe(200);
    expect(raw.type).toMatch(/^text\/xml/);
    expect(raw.text).toContain('<name>expected_revenue</name>\n<value><double>1000.0</double></value>');
    expect(raw.text).toContain('<name>probability</name>\n<value><double>12.5</double></value>');
    expect(raw.text).toContain('<name>date_deadline</name>\n<value><boolean>0</boolean></value>');
    expect(raw.text).not.toContain('<nil');
    expect(raw.text).toMatch(/<name>stage_id<\/name>\n<value><array><data>\n<value><int>\d+<\/int><\/value>\n<value><string>New<\/string><\/value>/);
  });

  it('gives bare many2one ids with load=None-like values', async () => {
    const sim = await useEmptySim();
    const company = sim.create('res.partner', { name: 'Acme', is_company: true });
    const person = sim.create('res.partner', { name: 'Ana', parent_id: company });
    expect(await executeKw(sim, 'res.partner', 'search_read', [[['id', '=', person]]], { fields: ['parent_id'], load: '' })).toEqual([{ id: person, parent_id: company }]);
  });

  it('supports search, search_count, search_read, read, fields_get, create, write, unlink, check_access_rights', async () => {
    const sim = await useEmptySim({ now: () => new Date('2026-01-02T00:00:00Z') });
    const id = (await executeKw(sim, 'res.partner', 'create', [{ name: 'José García', email: 'JOSE@example.com' }])) as number;
    expect(typeof id).toBe('number');
    expect(await executeKw(sim, 'res.partner', 'create', [[{ name: 'A' }, { name: 'B' }]])).toEqual([id + 1, id + 2]);
    expect(await executeKw(sim, 'res.partner', 'search', [[['name', 'in', ['A', 'B']]]], { order: 'id desc' })).toEqual([id + 2, id + 1]);
    expect(await executeKw(sim, 'res.partner', 'search_count', [[['name', 'in', ['A', 'B']]]])).toBe(2);
    expect(await executeKw(sim, 'res.partner', 'write', [[id], { phone: '+32 470' }])).toBe(true);
    expect(await executeKw(sim, 'res.partner', 'search_read', [[['id', '=', id]], ['phone', 'email']])).toEqual([{ id, phone: '+32 470', email: 'JOSE@example.com' }]);
    expect(await executeKw(sim, 'res.partner', 'unlink', [[id + 1]])).toBe(true);
    expect(await executeKw(sim, 'res.partner', 'read', [[id + 1], ['name']])).toEqual([]);
    expect(await executeKw(sim, 'res.partner', 'check_access_rights', ['read'], { raise_exception: false })).toBe(true);
    const fields = (await executeKw(sim, 'res.partner', 'fields_get', [], { attributes: ['type', 'string', 'relation'] })) as Record<string, Record<string, unknown>>;
    expect(fields['parent_id']).toEqual({ type: 'many2one', string: 'Related Company', relation: 'res.partner' });
    expect(fields['write_date']).toEqual({ type: 'datetime', string: 'Last Updated on' });
    expect(fields['mobile']).toEqual({ type: 'char', string: 'Mobile' });
    expect(Object.keys((await executeKw(sim, 'hr.employee', 'fields_get', [['work_email', 'user_id']])) as object).sort()).toEqual(['user_id', 'work_email']);
  });

  it('also speaks execute (positional arguments only)', async () => {
    const sim = await useEmptySim();
    expect(await xmlrpc(sim, 'object', 'execute', [sim.db, 2, 'admin', 'res.users', 'search', [['login', '=', 'admin']]])).toEqual([2]);
  });

  it('fault 3 "Access Denied" for bad credentials, wrong uid or missing uid', async () => {
    const sim = await useSim();
    for (const [uid, secret] of [
      [2, 'wrong'],
      [999, 'admin'],
      [false, 'admin'],
      [2, ''],
    ] as const) {
      const fault = await xmlrpcFault(xmlrpc(sim, 'object', 'execute_kw', [sim.db, uid, secret, 'res.partner', 'search', [[]]]));
      expect(fault).toEqual({ faultCode: 3, faultString: 'Access Denied' });
    }
  });

  it('fault 2 "Object x doesn\'t exist" for an unknown model', async () => {
    const sim = await useSim();
    expect(await xmlrpcFault(executeKw(sim, 'sale.order', 'search', [[]]))).toEqual({ faultCode: 2, faultString: "Object sale.order doesn't exist" });
  });

  it('fault 4 for a model the user may not access, and for HR-private fields', async () => {
    const sim = await useSim({ users: [{ login: 'clerk', password: 'pw', deniedModels: ['account.move'] }] });
    const uid = (await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'clerk', 'pw', {}])) as number;
    const denied = await xmlrpcFault(xmlrpc(sim, 'object', 'execute_kw', [sim.db, uid, 'pw', 'account.move', 'search', [[]]]));
    expect(denied.faultCode).toBe(4);
    expect(denied.faultString).toMatch(/not allowed to access 'Journal Entry' \(account\.move\)/);
    const privateField = await xmlrpcFault(xmlrpc(sim, 'object', 'execute_kw', [sim.db, uid, 'pw', 'hr.employee', 'search_read', [[]], { fields: ['name', 'private_email'], limit: 1 }]));
    expect(privateField.faultCode).toBe(4);
    expect(privateField.faultString).toMatch(/private_email/);
    const rows = (await xmlrpc(sim, 'object', 'execute_kw', [sim.db, uid, 'pw', 'hr.employee', 'search_read', [[]], { limit: 1 }])) as Record<string, unknown>[];
    expect(rows[0]).toHaveProperty('work_email');
    expect(rows[0]).not.toHaveProperty('private_email');
    const adminRows = (await executeKw(sim, 'hr.employee', 'search_read', [[]], { fields: ['private_email'], limit: 1 })) as Record<string, unknown>[];
    expect(adminRows[0]).toHaveProperty('private_email');
    expect(await xmlrpc(sim, 'object', 'execute_kw', [sim.db, uid, 'pw', 'account.move', 'check_access_rights', ['read'], { raise_exception: false }])).toBe(false);
  });

  it('fault 1 with a traceback for unknown fields, bad kwargs, bad domains, unknown methods', async () => {
    const sim = await useSim();
    const cases: [string, string, unknown[], Record<string, unknown>, RegExp][] = [
      ['res.partner', 'read', [[1], ['nope']], {}, /ValueError: Invalid field 'nope' on model 'res.partner'/],
      ['res.partner', 'search_read', [[['nope', '=', 1]]], {}, /ValueError: Invalid field res\.partner\.nope in leaf \('nope', '=', 1\)/],
      ['res.partner', 'search_read', [[['name', 'is', 1]]], {}, /ValueError: Invalid operator 'is'/],
      ['res.partner', 'search_read', [['|', ['name', '=', 'a']]], {}, /syntactically not correct/],
      ['res.partner', 'search', [[]], { bogus: 1 }, /TypeError: search\(\) got an unexpected keyword argument 'bogus'/],
      ['res.partner', 'search_count', [], {}, /TypeError: search_count\(\) missing 1 required positional argument: 'domain'/],
      ['res.partner', 'search', [[]], { order: 'nope desc' }, /ValueError: Invalid field 'nope' on model 'res.partner'/],
      ['res.partner', 'frobnicate', [], {}, /AttributeError: The method 'res\.partner\.frobnicate' does not exist/],
      ['res.partner', 'create', [{ nope: 1 }], {}, /ValueError: Invalid field 'nope' on model 'res.partner'/],
    ];
    for (const [model, method, args, kwargs, pattern] of cases) {
      const fault = await xmlrpcFault(executeKw(sim, model, method, args, kwargs));
      expect(fault.faultCode, `${method} ${JSON.stringify(args)}`).toBe(1);
      expect(fault.faultString).toMatch(/^Traceback \(most recent call last\):\n/);
      expect(fault.faultString).toMatch(pattern);
    }
  });

  it('fault 4 for private methods, fault 2 for user errors (missing record, validation)', async () => {
    const sim = await useSim();
    expect(await xmlrpcFault(executeKw(sim, 'res.partner', '_compute_x', []))).toEqual({
      faultCode: 4,
      faultString: "Private methods (such as 'res.partner._compute_x') cannot be called remotely.",
    });
    const missing = await xmlrpcFault(executeKw(sim, 'res.partner', 'write', [[999999], { name: 'x' }]));
    expect(missing.faultCode).toBe(2);
    expect(missing.faultString).toMatch(/has already been deleted/);
    const mandatory = await xmlrpcFault(executeKw(sim, 'crm.lead', 'create', [{ type: 'opportunity' }]));
    expect(mandatory.faultCode).toBe(2);
    expect(mandatory.faultString).toMatch(/a mandatory field is not set[\s\S]*Field: Opportunity \(name\)/);
  });

  it('answers 405 to GET and parses malformed bodies into fault 1', async () => {
    const sim = await useSim();
    const get = await fetch(`${sim.url}/xmlrpc/2/object`);
    expect(get.status).toBe(405);
    const broken = await rawXmlRpc(sim, 'object', '<methodCall><methodName>execute_kw</methodName><params>');
    expect(broken.status).toBe(200);
    expect(broken.text).toMatch(/<name>faultCode<\/name>\n<value><int>1<\/int>/);
    expect(broken.text).toMatch(/ExpatError/);
  });

  it('interoperates with the `xmlrpc` npm client used by the adapter', async (context) => {
    let xmlrpcModule: { createClient(options: { url: string }): { methodCall(method: string, params: unknown[], cb: (error: unknown, value: unknown) => void): void } };
    try {
      const require = createRequire(join(import.meta.dirname, '../../odoo-adapter/package.json'));
      xmlrpcModule = require('xmlrpc');
    } catch {
      context.skip();
      return;
    }
    const sim = await useEmptySim();
    sim.create('res.partner', { name: 'Chloé <&> "Dupont"', email: false, is_company: true });
    const call = (path: string, method: string, params: unknown[]) =>
      new Promise<unknown>((resolve, reject) => {
        xmlrpcModule.createClient({ url: `${sim.url}${path}` }).methodCall(method, params, (error, value) => (error ? reject(error) : resolve(value)));
      });
    const uid = await call('/xmlrpc/2/common', 'authenticate', [sim.db, 'admin', sim.credentials.apiKey, {}]);
    expect(uid).toBe(2);
    const rows = (await call('/xmlrpc/2/object', 'execute_kw', [sim.db, uid, sim.credentials.apiKey, 'res.partner', 'search_read', [[['name', 'ilike', 'chloé']]], { fields: ['name', 'email', 'country_id'] }])) as unknown[];
    expect(rows).toEqual([{ id: expect.any(Number), name: 'Chloé <&> "Dupont"', email: false, country_id: false }]);
    const fault = await call('/xmlrpc/2/object', 'execute_kw', [sim.db, uid, 'wrong', 'res.partner', 'search', [[]]]).catch((error: unknown) => error);
    expect(fault).toMatchObject({ faultCode: 3, faultString: 'Access Denied' });
  });
});
