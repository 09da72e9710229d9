import { describe, expect, it } from 'vitest';
import { executeKw, json2, useEmptySim, useSim } from './helpers.js';

const errorBody = { name: expect.any(String), message: expect.any(String), arguments: expect.any(Array), context: {}, debug: expect.any(String) };

describe('GET /web/version', () => {
  it('answers without authentication', async () => {
    const sim = await useSim({ version: '19.0' });
    const res = await fetch(`${sim.url}/web/version`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' });
  });

  it('reports saas versions as Odoo does', async () => {
    const sim = await useSim({ version: 'saas~18.3' });
    expect(await (await fetch(`${sim.url}/web/version`)).json()).toEqual({ version_info: ['saas~18', 3, 0, 'final', 0, ''], version: 'saas~18.3' });
  });
});

describe('JSON-2 POST /json/2/<model>/<method>', () => {
  it('exists only from Odoo 19: older versions answer 404 with an HTML page', async () => {
    const sim = await useSim({ version: '17.0' });
    const res = await json2(sim, 'res.partner', 'search', { domain: [] });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('takes named arguments and answers bare JSON', async () => {
    const sim = await useEmptySim({ version: '19.0', now: () => new Date('2026-05-06T07:08:09Z') });
    const company = sim.create('res.partner', { name: 'Azure Interior', is_company: true });
    const created = await json2(sim, 'res.partner', 'create', { vals_list: [{ name: 'Zoë', parent_id: company, email: 'ZOE@Azure.example.com' }] });
    expect(created).toMatchObject({ status: 200, body: [company + 1] });
    const read = await json2(sim, 'res.partner', 'search_read', {
      domain: [['parent_id', '=', company]],
      fields: ['name', 'email', 'parent_id', 'phone', 'write_date'],
      limit: 10,
      order: 'id',
      context: { active_test: false },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    expect(read.body).toEqual([{ id: company + 1, name: 'Zoë', email: 'ZOE@Azure.example.com', parent_id: [company, 'Azure Interior'], phone: false, write_date: '2026-05-06 07:08:09' }]);
    expect((await json2(sim, 'res.partner', 'read', { ids: [company + 1], fields: ['display_name'] })).body).toEqual([{ id: company + 1, display_name: 'Azure Interior, Zoë' }]);
    expect((await json2(sim, 'res.partner', 'search_count', { domain: [['is_company', '=', true]] })).body).toBe(sim.count('res.partner', [['is_company', '=', true]]));
    expect((await json2(sim, 'res.partner', 'write', { ids: [company + 1], vals: { phone: '1' } })).body).toBe(true);
    expect((await json2(sim, 'res.partner', 'unlink', { ids: [company + 1] })).body).toBe(true);
    expect((await json2(sim, 'res.partner', 'search', { domain: [['id', '=', company + 1]] })).body).toEqual([]);
    const fields = await json2(sim, 'hr.employee', 'fields_get', { allfields: ['user_id'], attributes: ['type', 'relation'] });
    expect(fields.body).toEqual({ user_id: { type: 'many2one', relation: 'res.users' } });
  });

  it('res.users/context_get tells the caller whose API key it holds; other models have no such method', async () => {
    const sim = await useSim({ version: '19.0', users: [{ login: 'bot@example.com', password: 'pw', apiKey: 'bot-key-0123456789abcdef', name: 'Sync Bot' }] });
    const admin = await json2(sim, 'res.users', 'context_get', {});
    expect(admin).toMatchObject({ status: 200, body: { uid: sim.credentials.uid, lang: 'en_US' } });
    const bot = await fetch(`${sim.url}/json/2/res.users/context_get`, {
      method: 'POST',
      headers: { Authorization: 'Bearer bot-key-0123456789abcdef', 'Content-Type': 'application/json' },
      body: '{}',
    });
    const botContext = (await bot.json()) as { uid: number };
    expect(botContext.uid).not.toBe(sim.credentials.uid);
    expect(sim.searchRead('res.users', [['id', '=', botContext.uid]], { fields: ['login'] })).toEqual([{ id: botContext.uid, login: 'bot@example.com' }]);
    expect((await json2(sim, 'res.partner', 'context_get', {})).status).toBe(404);
  });

  it('accepts an empty body and a database header naming the database', async () => {
    const sim = await useSim({ version: '19.0' });
    const res = await fetch(`${sim.url}/json/2/res.users/fields_get`, { method: 'POST', headers: { Authorization: `Bearer ${sim.credentials.apiKey}` } });
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()) as object)).toContain('login');
  });

  it('401 for a missing or bad API key (passwords are not API keys)', async () => {
    const sim = await useSim({ version: '19.0' });
    for (const apiKey of [null, 'wrong', sim.credentials.password]) {
      const res = await json2(sim, 'res.partner', 'search', { domain: [] }, { apiKey });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('bearer');
      expect(res.body).toEqual({ ...errorBody, name: 'werkzeug.exceptions.Unauthorized' });
    }
    expect((await json2(sim, 'res.partner', 'search', { domain: [] }, { apiKey: 'wrong' })).body.message).toBe('Invalid apikey');
    const missing = await json2(sim, 'res.partner', 'search', { domain: [] }, { apiKey: null });
    expect(missing.body).toMatchObject({
      message: 'User not authenticated, use the "Authorization" header',
      arguments: ['User not authenticated, use the "Authorization" header', 401],
    });
  });

  it('403 for access errors', async () => {
    const sim = await useSim({ version: '19.0', users: [{ login: 'clerk', password: 'pw', apiKey: 'clerk-key', deniedModels: ['crm.lead'] }] });
    const res = await json2(sim, 'crm.lead', 'search_read', { domain: [] }, { apiKey: 'clerk-key' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ ...errorBody, name: 'odoo.exceptions.AccessError' });
    const privateMethod = await json2(sim, 'res.partner', '_private', {});
    expect(privateMethod.status).toBe(403);
  });

  it('404 for an unknown model, an unknown method, a missing record, a wrong path', async () => {
    const sim = await useSim({ version: '19.0' });
    const model = await json2(sim, 'sale.order', 'search', { domain: [] });
    expect(model.status).toBe(404);
    expect(model.body).toEqual({ ...errorBody, name: 'werkzeug.exceptions.NotFound', message: "the model 'sale.order' does not exist" });
    const method = await json2(sim, 'res.partner', 'frobnicate', {});
    expect(method).toMatchObject({ status: 404, body: { name: 'werkzeug.exceptions.NotFound', message: "The method 'res.partner.frobnicate' does not exist" } });
    const record = await json2(sim, 'res.partner', 'write', { ids: [987654], vals: { name: 'x' } });
    expect(record).toMatchObject({ status: 404, body: { name: 'odoo.exceptions.MissingError' } });
    const root = await fetch(`${sim.url}/json/2`, { method: 'POST' });
    expect(root.status).toBe(404);
    expect(((await root.json()) as { message: string }).message).toBe('Did you mean POST /json/2/<model>/<method>?');
    const get = await fetch(`${sim.url}/json/2/res.partner/search`);
    expect(get.status).toBe(404);
  });

  it('422 for bad arguments, ids on a model method, validation errors', async () => {
    const sim = await useSim({ version: '19.0' });
    const bogus = await json2(sim, 'res.partner', 'search_count', { domain: [], bogus_kwarg: 1 });
    expect(bogus).toMatchObject({ status: 422, body: { name: 'werkzeug.exceptions.UnprocessableEntity', message: expect.stringContaining("unexpected keyword argument 'bogus_kwarg'") } });
    const withIds = await json2(sim, 'res.partner', 'create', { ids: [1], vals_list: [{ name: 'X' }] });
    expect(withIds).toMatchObject({ status: 422, body: { message: 'cannot call res.partner.create with ids' } });
    const invalid = await json2(sim, 'crm.lead', 'create', { vals_list: [{ type: 'opportunity' }] });
    expect(invalid).toMatchObject({ status: 422, body: { name: 'odoo.exceptions.ValidationError' } });
    const userError = await json2(sim, 'res.users', 'unlink', { ids: [2] });
    expect(userError).toMatchObject({ status: 422, body: { name: 'odoo.exceptions.UserError' } });
  });

  it('400 for a body that is not JSON, 415 for another content type, 500 for server errors', async () => {
    const sim = await useSim({ version: '19.0' });
    const notJson = await json2(sim, 'res.partner', 'search', undefined, { raw: '{"domain": [' });
    expect(notJson).toMatchObject({ status: 400, body: { name: 'werkzeug.exceptions.BadRequest', message: expect.stringMatching(/^could not parse the body as json/) } });
    const array = await json2(sim, 'res.partner', 'search', [[]]);
    expect(array.status).toBe(400);
    expect(array.body).toMatchObject({ message: 'could not parse the body, expecting a json object', arguments: ['could not parse the body, expecting a json object', 400] });
    const unknownField = await json2(sim, 'res.partner', 'search_read', { domain: [['nope', '=', 1]] });
    expect(unknownField).toMatchObject({ status: 500, body: { ...errorBody, name: 'builtins.ValueError' } });
    expect(unknownField.body.debug).toMatch(/^Traceback/);
  });

  // What Odoo 19's own tests (odoo/addons/test_http/tests/test_webjson2.py) say a client gets
  // before the JSON-2 controller is reached: HTML pages, not JSON error bodies.
  it('answers an unknown X-Odoo-Database with Odoo\'s HTML 404 "No database is selected"', async () => {
    const sim = await useSim({ version: '19.0' });
    for (const [path, init] of [
      ['/json/2/res.users/search', { method: 'POST', body: '{"domain": []}' }],
      ['/json/2/res.users/search', { method: 'POST', body: 'domain=[]', contentType: 'application/x-www-form-urlencoded' }],
      ['/json/2', { method: 'POST', body: '{}' }],
    ] as const) {
      const res = await fetch(`${sim.url}${path}`, {
        method: init.method,
        headers: { 'Content-Type': 'contentType' in init ? init.contentType : 'application/json', Authorization: `bearer ${sim.credentials.apiKey}`, 'X-Odoo-Database': `${sim.db}-idontexist` },
        body: init.body,
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const text = await res.text();
      expect(text).toContain('URL was not found in the server-wide controllers.</p>');
      expect(text).toContain('X-Odoo-Database');
    }
    expect(sim.stats().byMethod['res.users.search']).toBeUndefined();
    // The database-less routes still answer.
    const version = await fetch(`${sim.url}/web/version`, { headers: { 'X-Odoo-Database': 'idontexist' } });
    expect(version.status).toBe(200);
  });

  it('answers a body that is not JSON with Odoo\'s HTML 415, before checking the key', async () => {
    const sim = await useSim({ version: '19.0' });
    for (const apiKey of [sim.credentials.apiKey, null]) {
      const form = await json2(sim, 'res.users', 'search', undefined, { apiKey, raw: 'domain=[]', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(form.status).toBe(415);
      expect(form.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(form.headers.get('accept')).toBe('application/json');
      expect(form.body).toMatch(/Request inferred type is compatible with.*http.*but.*\/json\/2.*is type=.*json/s);
      expect(form.body).toContain('Please verify the Content-Type request header and try again.');
    }
    const text = await json2(sim, 'res.users', 'search', undefined, { raw: '{"domain": []}', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('words its JSON-2 errors as Odoo 19 does', async () => {
    const sim = await useSim({ version: '19.0' });
    const missing = await json2(sim, 'res.users', 'search', {});
    expect(missing).toMatchObject({
      status: 422,
      body: { name: 'werkzeug.exceptions.UnprocessableEntity', message: "missing a required argument: 'domain'", arguments: ["missing a required argument: 'domain'", 422] },
    });
    const bogus = await json2(sim, 'res.partner', 'search_count', { domain: [], bogus_kwarg: 1 });
    expect(bogus.body.message).toBe("got an unexpected keyword argument 'bogus_kwarg'");
    // Odoo's test_json2_bad_signature_is_422: the missing domain is reported first.
    expect((await json2(sim, 'res.partner', 'search_count', { bogus_kwarg: 1 })).body.message).toBe("missing a required argument: 'domain'");
    const withIds = await json2(sim, 'res.users', 'create', { ids: [0] });
    expect(withIds.body).toMatchObject({ message: 'cannot call res.users.create with ids', arguments: ['cannot call res.users.create with ids', 422] });
    const notJson = await json2(sim, 'res.users', 'search', undefined, { raw: 'not json' });
    expect(notJson.body.arguments).toEqual([notJson.body.message, 400]);
    expect(Object.keys(notJson.body)).toEqual(['name', 'message', 'arguments', 'context', 'debug']);
  });

  it('gives bare many2one ids with load: null', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const company = sim.create('res.partner', { name: 'Acme', is_company: true });
    const person = sim.create('res.partner', { name: 'Ana', parent_id: company });
    const res = await json2(sim, 'res.partner', 'search_read', { domain: [['id', '=', person]], fields: ['parent_id'], load: null });
    expect(res.body).toEqual([{ id: person, parent_id: company }]);
  });

  it('422 for a contact without a name (Odoo’s check_name constraint)', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const res = await json2(sim, 'res.partner', 'create', { vals_list: [{ email: 'nameless@example.com' }] });
    expect(res).toMatchObject({ status: 422, body: { name: 'odoo.exceptions.ValidationError', message: 'Contacts require a name' } });
    const address = await json2(sim, 'res.partner', 'create', { vals_list: [{ type: 'invoice', parent_id: 1 }] });
    expect(address.status).toBe(200);
  });

  it('streams large answers in chunks, on both transports', async () => {
    const sim = await useSim({ version: '19.0', counts: { partners: 3000 } });
    const total = sim.count('res.partner', [], { activeTest: false });
    const res = await json2(sim, 'res.partner', 'search_read', { domain: [], fields: ['name', 'parent_id', 'write_date'], order: 'id', context: { active_test: false } });
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.body).toHaveLength(total);
    expect(res.body.map((row: { id: number }) => row.id)).toEqual(sim.searchRead('res.partner', [], { fields: ['id'], order: 'id', activeTest: false }).map((row) => row.id));
    const rows = (await executeKw(sim, 'res.partner', 'search_read', [[]], { fields: ['name'], context: { active_test: false } })) as unknown[];
    expect(rows).toHaveLength(total);
    const small = await json2(sim, 'res.partner', 'search_count', { domain: [] });
    expect(small.headers.get('content-length')).toBe(String(JSON.stringify(small.body).length));
  });

  it('create answers ids even for a single dict', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const res = await json2(sim, 'res.partner', 'create', { vals_list: { name: 'Single' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.any(Number)]);
  });
});
