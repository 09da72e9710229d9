import { describe, expect, it } from 'vitest';
import { OdooSimError, startOdooSim } from '../src/index.js';
import { executeKw, json2, useEmptySim, useSim, xmlrpc } from './helpers.js';

describe('programmatic API', () => {
  it('exposes url, db, version and the admin credentials', async () => {
    const sim = await useSim({ db: 'prod', version: '18.0', seed: 5 });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.db).toBe('prod');
    expect(sim.version).toBe('18.0');
    expect(sim.credentials).toEqual({ username: 'admin', password: 'admin', apiKey: expect.stringMatching(/^[0-9a-f]{40}$/), uid: 2 });
    const again = await useSim({ seed: 5 });
    expect(again.credentials.apiKey).toBe(sim.credentials.apiKey);
    const other = await useSim({ seed: 6 });
    expect(other.credentials.apiKey).not.toBe(sim.credentials.apiKey);
  });

  it('create/write/unlink/searchRead/count, seen over the wire', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const id = sim.create('hr.employee', { name: 'Søren Ødegaard', work_email: 'Soren@YourCompany.example.com', user_id: 2 });
    expect((await json2(sim, 'hr.employee', 'read', { ids: [id], fields: ['name', 'work_email', 'user_id'] })).body).toEqual([
      { id, name: 'Søren Ødegaard', work_email: 'Soren@YourCompany.example.com', user_id: [2, 'Mitchell Admin'] },
    ]);
    sim.write('hr.employee', [id], { active: false });
    expect(sim.count('hr.employee', [['id', '=', id]])).toBe(0);
    expect(sim.count('hr.employee', [['id', '=', id]], { activeTest: false })).toBe(1);
    expect(sim.searchRead('hr.employee', [['id', '=', id]], { fields: ['active'], activeTest: false })).toEqual([{ id, active: false }]);
    expect(sim.searchRead('res.users', [['id', '=', 2]], { fields: ['employee_ids'] })).toEqual([{ id: 2, employee_ids: [id] }]);
    sim.unlink('hr.employee', [id]);
    expect(sim.count('hr.employee', [['id', '=', id]], { activeTest: false })).toBe(0);
  });

  it("gives an employee its user's e-mail when it is linked to the user, as Odoo 16+ does", async () => {
    const sim = await useEmptySim();
    const admin = sim.searchRead('res.users', [['id', '=', 2]], { fields: ['email'] })[0];
    expect(admin?.['email']).toEqual(expect.any(String));
    const id = sim.create('hr.employee', { name: 'Mitchell Admin', user_id: 2 });
    expect(sim.searchRead('hr.employee', [['id', '=', id]], { fields: ['work_email'] })).toEqual([{ id, work_email: admin?.['email'] }]);
    const other = sim.create('hr.employee', { name: 'Ana Souza', work_email: 'ana@example.com' });
    sim.write('hr.employee', [other], { user_id: 2 });
    expect(sim.searchRead('hr.employee', [['id', '=', other]], { fields: ['work_email'] })).toEqual([{ id: other, work_email: admin?.['email'] }]);
    // Set in the same call, the given e-mail stays.
    sim.write('hr.employee', [other], { user_id: 2, work_email: 'ana@example.com' });
    expect(sim.searchRead('hr.employee', [['id', '=', other]], { fields: ['work_email'] })).toEqual([{ id: other, work_email: 'ana@example.com' }]);
  });

  it('throws OdooSimError like Odoo would raise', async () => {
    const sim = await useEmptySim();
    expect(() => sim.write('res.partner', [424242], { name: 'x' })).toThrow(OdooSimError);
    let caught: unknown;
    try {
      sim.unlink('res.partner', [424242]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ kind: 'missing_error', faultCode: 2, httpStatus: 404, pythonName: 'odoo.exceptions.MissingError' });
    expect(() => sim.create('res.partner', { nope: 1 })).toThrow(/Invalid field 'nope' on model 'res.partner'/);
    expect(() => sim.create('crm.lead', { name: 'x', type: 'deal' })).toThrow(/Wrong value for crm\.lead\.type/);
    expect(() => sim.create('crm.lead', { name: 'x', partner_id: 987654 })).toThrow(OdooSimError);
    expect(() => sim.searchRead('sale.order')).toThrow(/Object sale.order doesn't exist/);
    expect(() => sim.create('res.users', { login: 'admin' })).toThrow(/same login/);
  });

  it('applies ondelete: restrict refuses, set null clears without moving write_date', async () => {
    const sim = await useEmptySim({ now: () => new Date('2026-01-01T00:00:00Z') });
    const customer = sim.create('res.partner', { name: 'Customer', is_company: true });
    sim.create('account.move', { move_type: 'out_invoice', partner_id: customer });
    expect(() => sim.unlink('res.partner', [customer])).toThrow(/another model requires the record being deleted/);
    const company = sim.create('res.partner', { name: 'Parent', is_company: true });
    const child = sim.create('res.partner', { name: 'Child', parent_id: company, write_date: '2025-01-01 00:00:00' });
    sim.unlink('res.partner', [company]);
    expect(sim.searchRead('res.partner', [['id', '=', child]], { fields: ['parent_id', 'write_date', 'commercial_partner_id'] })).toEqual([
      { id: child, parent_id: false, write_date: '2025-01-01 00:00:00', commercial_partner_id: [child, 'Child'] },
    ]);
    // crm.lead: partner_id is set null, lost_reason_id is restrict (as Odoo's crm declares them).
    const reason = sim.create('crm.lost.reason', { name: 'Too expensive' });
    const buyer = sim.create('res.partner', { name: 'Buyer', is_company: true });
    const lead = sim.create('crm.lead', { name: 'Deal', partner_id: buyer, lost_reason_id: reason, write_date: '2025-02-01 00:00:00' });
    expect(() => sim.unlink('crm.lost.reason', [reason])).toThrow(/another model requires the record being deleted/);
    sim.unlink('res.partner', [buyer]);
    expect(sim.searchRead('crm.lead', [['id', '=', lead]], { fields: ['partner_id', 'write_date'] })).toEqual([
      { id: lead, partner_id: false, write_date: '2025-02-01 00:00:00' },
    ]);
  });

  it('handles x2many commands through the API', async () => {
    const sim = await useEmptySim();
    const company = (await executeKw(sim, 'res.partner', 'create', [{ name: 'Co', is_company: true, child_ids: [[0, 0, { name: 'Kid 1' }], [0, 0, { name: 'Kid 2' }]] }])) as number;
    const [row] = sim.searchRead('res.partner', [['id', '=', company]], { fields: ['child_ids'] });
    expect((row!['child_ids'] as number[]).length).toBe(2);
    const user = (await executeKw(sim, 'res.users', 'create', [{ login: 'new.user@example.com', name: 'New User', company_ids: [[6, 0, [1, 2]]] }])) as number;
    expect(sim.searchRead('res.users', [['id', '=', user]], { fields: ['company_ids', 'partner_id', 'share'] })).toEqual([
      { id: user, company_ids: [1, 2], partner_id: [expect.any(Number), 'New User'], share: false },
    ]);
  });

  it('counts requests by route and by method', async () => {
    const sim = await useSim({ version: '19.0' });
    await xmlrpc(sim, 'common', 'authenticate', [sim.db, 'admin', 'admin', {}]);
    await executeKw(sim, 'res.partner', 'search_read', [[]], { limit: 1 });
    await json2(sim, 'res.partner', 'search_read', { limit: 1 });
    await fetch(`${sim.url}/web/version`);
    // Refused calls count too: a client's retries show up.
    await xmlrpc(sim, 'object', 'execute_kw', [sim.db, 2, 'wrong', 'res.partner', 'search_read', [[]]]).catch(() => undefined);
    expect(sim.stats()).toEqual({
      requests: 5,
      byRoute: { '/xmlrpc/2/common': 1, '/xmlrpc/2/object': 2, '/json/2/res.partner/search_read': 1, '/web/version': 1 },
      byMethod: { 'common.authenticate': 1, 'res.partner.search_read': 3 },
    });
  });

  it('close() is safe twice and closes keep-alive sockets', async () => {
    const sim = await startOdooSim();
    await fetch(`${sim.url}/web/version`, { keepalive: true });
    await Promise.all([sim.close(), sim.close()]);
    await sim.close();
    await expect(fetch(`${sim.url}/web/version`)).rejects.toThrow();
  });

  it('validates options', async () => {
    await expect(startOdooSim({ port: 70000 })).rejects.toThrow(TypeError);
    await expect(startOdooSim({ version: 'seventeen' })).rejects.toThrow(/Invalid Odoo version/);
    await expect(startOdooSim({ db: '' })).rejects.toThrow(TypeError);
    await expect(startOdooSim({ counts: { partners: -1 } })).rejects.toThrow(/non-negative integer/);
  });
});
