import { describe, expect, it } from 'vitest';
import { executeKw, json2, useEmptySim, xmlrpcFault } from './helpers.js';

const FIELDS = ['stage_id', 'probability', 'active', 'lost_reason_id', 'date_closed', 'write_date'];

describe('crm.lead.action_set_won / action_set_lost', () => {
  it('won: unarchives, moves to the won stage after the current one, probability 100, date_closed stamped (XML-RPC)', async () => {
    const sim = await useEmptySim();
    const stages = sim.searchRead('crm.stage', [], { fields: ['name', 'sequence', 'is_won'], order: 'sequence, id' });
    const won = stages.filter((s) => s['is_won'] === true);
    const open = stages.find((s) => s['is_won'] !== true);
    expect(won.length).toBeGreaterThan(0);
    expect(open).toBeDefined();
    const reason = sim.searchRead('crm.lost.reason', [], { fields: ['name'] })[0]!;
    const id = sim.create('crm.lead', { name: 'Cloud Migration Project', type: 'opportunity', stage_id: open!.id, probability: 30 });
    sim.write('crm.lead', [id], { active: false, lost_reason_id: reason.id, probability: 0 });
    expect(await executeKw(sim, 'crm.lead', 'action_set_won', [[id]])).toBe(true);
    const [row] = sim.searchRead('crm.lead', [['id', '=', id]], { fields: FIELDS, activeTest: false });
    expect(row).toMatchObject({ active: true, probability: 100, lost_reason_id: false, stage_id: [won[0]!.id, won[0]!['name']] });
    expect(row!['date_closed']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('lost: archives with probability 0 and the lost reason given as a keyword (JSON-2)', async () => {
    const sim = await useEmptySim({ version: '19.0' });
    const reason = sim.searchRead('crm.lost.reason', [], { fields: ['name'] })[0]!;
    const id = sim.create('crm.lead', { name: 'Desks', type: 'opportunity', probability: 40 });
    const res = await json2(sim, 'crm.lead', 'action_set_lost', { ids: [id], lost_reason_id: reason.id });
    expect(res.status).toBe(200);
    const [row] = sim.searchRead('crm.lead', [['id', '=', id]], { fields: FIELDS, activeTest: false });
    expect(row).toMatchObject({ active: false, probability: 0, lost_reason_id: [reason.id, reason['name']] });
    expect(row!['date_closed']).not.toBe(false);
  });

  it('refuses a missing lead (MissingError), another model, and an unknown keyword like Odoo', async () => {
    const sim = await useEmptySim();
    expect((await xmlrpcFault(executeKw(sim, 'crm.lead', 'action_set_won', [[999_999]]))).faultCode).toBe(2);
    expect((await xmlrpcFault(executeKw(sim, 'res.partner', 'action_set_won', [[1]]))).faultString).toContain("does not exist");
    const id = sim.create('crm.lead', { name: 'X', type: 'opportunity' });
    expect((await xmlrpcFault(executeKw(sim, 'crm.lead', 'action_set_lost', [[id]], { no_such_field: 1 }))).faultString).toContain('no_such_field');
  });

  it('tags: opportunities point at crm.tag through tag_ids', async () => {
    const sim = await useEmptySim();
    const tag = sim.create('crm.tag', { name: 'Cloud' });
    const id = sim.create('crm.lead', { name: 'Tagged', type: 'opportunity', tag_ids: [[6, 0, [tag]]] });
    expect(sim.searchRead('crm.lead', [['id', '=', id]], { fields: ['tag_ids'] })).toEqual([{ id, tag_ids: [tag] }]);
  });
});
