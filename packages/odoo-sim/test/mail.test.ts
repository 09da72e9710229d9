import { describe, expect, it } from 'vitest';
import { generateDataset } from '../src/index.js';
import { executeKw, useSim } from './helpers.js';

const NOW = new Date('2026-01-01T09:00:00Z');

describe('mail models: fields as Odoo declares them', () => {
  it('answers fields_get for mail.activity, mail.message and mail.activity.type with Odoo’s names and types', async () => {
    const sim = await useSim({ now: () => NOW });
    const activity = (await executeKw(sim, 'mail.activity', 'fields_get', [], { attributes: ['type', 'relation', 'required', 'string', 'store'] })) as Record<string, Record<string, unknown>>;
    expect(activity['res_model_id']).toMatchObject({ type: 'many2one', relation: 'ir.model', required: true });
    expect(activity['res_id']).toMatchObject({ type: 'many2one_reference', required: true });
    expect(activity['res_model']).toMatchObject({ type: 'char' });
    expect(activity['activity_type_id']).toMatchObject({ type: 'many2one', relation: 'mail.activity.type' });
    expect(activity['note']).toMatchObject({ type: 'html' });
    expect(activity['date_deadline']).toMatchObject({ type: 'date', required: true });
    expect(activity['user_id']).toMatchObject({ type: 'many2one', relation: 'res.users', string: 'Assigned to' });
    expect(activity['state']).toMatchObject({ type: 'selection', store: false });
    expect(activity['active']).toBeUndefined(); // done activities are deleted, not archived
    const message = (await executeKw(sim, 'mail.message', 'fields_get', [], { attributes: ['type', 'relation', 'selection'] })) as Record<string, Record<string, unknown>>;
    expect(message['message_type']?.['selection']).toEqual([
      ['email', 'Email'],
      ['comment', 'Comment'],
      ['notification', 'System notification'],
      ['user_notification', 'User Specific Notification'],
    ]);
    expect(message['author_id']).toMatchObject({ type: 'many2one', relation: 'res.partner' });
    expect(message['subtype_id']).toMatchObject({ type: 'many2one', relation: 'mail.message.subtype' });
    expect(message['mail_activity_type_id']).toMatchObject({ type: 'many2one', relation: 'mail.activity.type' });
    expect(message['body']).toMatchObject({ type: 'html' });
    expect(message['is_internal']).toMatchObject({ type: 'boolean' });
    const types = (await executeKw(sim, 'mail.activity.type', 'search_read', [[]], { fields: ['name', 'category', 'icon'] })) as Record<string, unknown>[];
    expect(types.map((t) => [t['name'], t['category']])).toEqual([
      ['Email', 'default'],
      ['Call', 'phonecall'],
      ['Meeting', 'meeting'],
      ['To-Do', 'default'],
      ['Upload Document', 'upload_file'],
    ]);
  });

  it('computes the activity state from the deadline and the simulator’s clock', async () => {
    const sim = await useSim({ now: () => NOW });
    const lead = sim.searchRead('crm.lead', [], { fields: ['name'], limit: 1 })[0]!;
    const make = (day: string) => sim.create('mail.activity', { res_model: 'crm.lead', res_id: lead.id, activity_type_id: 2, summary: day, date_deadline: day, user_id: 2 });
    const ids = [make('2025-12-31'), make('2026-01-01'), make('2026-01-02')];
    const rows = (await executeKw(sim, 'mail.activity', 'read', [ids], { fields: ['state', 'res_model_id', 'res_model', 'res_name', 'activity_category'] })) as Record<string, unknown>[];
    expect(rows.map((row) => row['state'])).toEqual(['overdue', 'today', 'planned']);
    expect(rows[0]).toMatchObject({ res_model: 'crm.lead', res_name: lead['name'], activity_category: 'phonecall' });
    expect((rows[0]!['res_model_id'] as unknown[])[1]).toBe('Lead/Opportunity');
  });
});

describe('mail models: seeded data', () => {
  it('seeds activities and messages on opportunities and partners, the same for the same seed', () => {
    const a = generateDataset({ seed: 5 });
    const b = generateDataset({ seed: 5 });
    expect(a.models['mail.activity']).toEqual(b.models['mail.activity']);
    expect(a.models['mail.message']).toEqual(b.models['mail.message']);
    expect(a.models['mail.activity']).toHaveLength(80);
    expect(a.models['mail.message']).toHaveLength(200);
    const without = generateDataset({ seed: 5, counts: { activities: 0, messages: 0 } });
    expect(without.models['mail.activity']).toHaveLength(0);
    expect(without.models['res.partner']).toEqual(a.models['res.partner']);
    expect(without.models['crm.lead']).toEqual(a.models['crm.lead']);
    const kinds = new Set(a.models['mail.message'].map((m) => m.message_type));
    expect(kinds).toEqual(new Set(['comment', 'email', 'notification', 'user_notification']));
    expect(new Set(a.models['mail.activity'].map((x) => x.res_model))).toEqual(new Set(['crm.lead', 'res.partner']));
    expect(a.models['mail.message'].some((m) => m.mail_activity_type_id !== false)).toBe(true);
    expect(a.models['mail.message'].some((m) => m.message_type === 'comment' && m.is_internal)).toBe(true);
    // Every activity and message points at a record that exists and is not archived.
    for (const row of [...a.models['mail.activity'].map((x) => [x.res_model, x.res_id] as const), ...a.models['mail.message'].map((m) => [m.model, m.res_id] as const)]) {
      const target = row[0] === 'crm.lead' ? a.models['crm.lead'][row[1] - 1] : a.models['res.partner'][row[1] - 1];
      expect(target?.active, `${row[0]} ${row[1]}`).toBe(true);
    }
  });
});

describe('mail.activity.action_feedback (mark done)', () => {
  it('posts the "done" message with the activity type on the document and deletes the activity, over XML-RPC', async () => {
    const sim = await useSim({ now: () => NOW });
    const [activity] = sim.searchRead('mail.activity', [['activity_type_id', '=', 2]], { limit: 1, fields: ['res_model', 'res_id', 'summary'] });
    expect(activity).toBeDefined();
    const messageId = await executeKw(sim, 'mail.activity', 'action_feedback', [[activity!.id]], { feedback: 'Reached them <3' });
    expect(typeof messageId).toBe('number');
    expect(sim.count('mail.activity', [['id', '=', activity!.id]])).toBe(0);
    const [message] = sim.searchRead('mail.message', [['id', '=', messageId]], {
      fields: ['model', 'res_id', 'message_type', 'mail_activity_type_id', 'subtype_id', 'author_id', 'body', 'date'],
    });
    expect(message).toMatchObject({
      model: activity!['res_model'],
      res_id: activity!['res_id'],
      message_type: 'notification',
      mail_activity_type_id: [2, 'Call'],
      subtype_id: [3, 'Activities'],
      author_id: [3, 'YourCompany, Mitchell Admin'],
      date: '2026-01-01 09:00:00',
    });
    expect(message!['body']).toContain('Reached them &lt;3');
    const missing = await executeKw(sim, 'mail.activity', 'action_feedback', [[activity!.id]]).catch((error: unknown) => (error as { faultCode?: number }).faultCode);
    expect(missing).toBe(2);
  });

  it('is not a method of other models', async () => {
    const sim = await useSim();
    const fault = await executeKw(sim, 'res.partner', 'action_feedback', [[1]]).catch((error: unknown) => (error as { faultCode?: number }).faultCode);
    expect(fault).toBe(1);
  });
});
