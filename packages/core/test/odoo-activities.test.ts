import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { ActivityProjector } from '../src/activity/projector.js';
import { htmlToText, odooActivityType } from '../src/activity/odoo-mail.js';
import { BUILT_IN_ENTITIES, type EntityDefinition } from '../src/entities/entities.js';
import { mailActivity, mailMessage } from '../src/entities/mail-entities.js';
import { MemoryStore } from '../src/memory-store.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { Reconciler } from '../src/sync/reconciler.js';
import type { ReadChangedOptions, SourceQuery, SourceReader } from '../src/ports.js';

const NOW = new Date('2026-01-10T12:00:00.000Z');

function world() {
  const clock = new ManualClock(NOW);
  const source = new MemorySource({ clock });
  const store = new MemoryStore();
  const entities: EntityDefinition[] = [...BUILT_IN_ENTITIES, mailActivity, mailMessage];
  const projector = new ActivityProjector({ activities: store, records: store, users: store, entities, clock });
  const reconciler = new Reconciler({ source, store, entities, projector, clock, retry: false });
  source.write('res.partner', { id: 7, name: 'Acme', is_company: true, active: true });
  source.write('res.partner', { id: 8, name: 'Ana Souza', is_company: false, parent_id: [7, 'Acme'], active: true });
  source.write('crm.lead', { id: 42, name: 'Cloud Migration Project', type: 'opportunity', active: true });
  return { clock, source, store, reconciler };
}

function call(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    res_model: 'crm.lead',
    res_id: 42,
    res_name: 'Cloud Migration Project',
    activity_type_id: [2, 'Call'],
    activity_category: 'phonecall',
    summary: 'Follow up on quote',
    note: '<p>Budget &amp; <b>timing</b></p>',
    date_deadline: '2026-01-12',
    user_id: [6, 'Bruno Lima'],
    create_date: '2026-01-05 09:30:00',
    create_uid: [2, 'Mitchell Admin'],
    ...extra,
  };
}

function message(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    model: 'res.partner',
    res_id: 7,
    record_name: 'Acme',
    message_type: 'comment',
    subtype_id: [2, 'Note'],
    is_internal: true,
    mail_activity_type_id: false,
    subject: false,
    body: '<p>Decision maker is the <b>CFO</b></p>',
    author_id: [9, 'Bruno Lima'],
    date: '2026-01-06 10:00:00',
    create_uid: [6, 'Bruno Lima'],
    ...extra,
  };
}

describe('Odoo activity in the timeline (Reconciler + ActivityProjector)', () => {
  it('projects scheduled activities and messages with their type, record and user; re-syncing keeps one per id', async () => {
    const { source, store, reconciler } = world();
    await store.createUser({ id: 'app-bruno', email: 'bruno@example.com', name: 'Bruno (app)', role: 'user', status: 'approved' }, NOW);
    await store.updateUser('app-bruno', { odooLink: { odooUserId: 6, employeeId: null, strategy: 'email', linkedAt: NOW.toISOString(), linkedBy: 'app-bruno' } }, NOW);
    source.write('mail.activity', call(1));
    source.write('mail.message', message(11));
    source.write('mail.message', message(12, { message_type: 'email', subtype_id: [1, 'Discussions'], is_internal: false, subject: 'Re: quote', author_id: [8, 'Acme, Ana Souza'], create_uid: [1, 'OdooBot'], model: 'crm.lead', res_id: 42, record_name: 'Cloud Migration Project' }));
    source.write('mail.message', message(13, { message_type: 'notification', subtype_id: false })); // not in the domain
    const run = await reconciler.run({ mode: 'full' });
    expect(run.status).toBe('success');
    const page = await store.queryActivities({ source: 'odoo' });
    expect(page.items.map((a) => a.id).sort()).toEqual(['odoo:mail.activity:1', 'odoo:mail.message:11', 'odoo:mail.message:12']);
    const byId = new Map(page.items.map((a) => [a.id, a]));
    expect(byId.get('odoo:mail.activity:1')).toMatchObject({
      activityType: 'call',
      title: 'Call: Follow up on quote (Cloud Migration Project)',
      entityType: 'opportunity',
      entityId: '42',
      userId: 'app-bruno',
      userName: 'Bruno (app)',
      source: 'odoo',
      timestamp: '2026-01-05T09:30:00.000Z',
      metadata: { odooModel: 'mail.activity', odooId: 1, deadline: '2026-01-12', assignee: 'Bruno Lima', note: 'Budget & timing' },
    });
    expect(byId.get('odoo:mail.message:11')).toMatchObject({ activityType: 'note', entityType: 'account', entityId: '7', userId: 'app-bruno', title: 'Note: Decision maker is the CFO (Acme)' });
    expect(byId.get('odoo:mail.message:12')).toMatchObject({ activityType: 'email', entityType: 'opportunity', userId: null, userName: 'Acme, Ana Souza', title: 'Email: Re: quote (Cloud Migration Project)' });
    // The stored record keeps the note as text, not HTML.
    expect((await store.getRecord('mail_activity', 1))?.data).toMatchObject({ note: 'Budget & timing' });

    await reconciler.run({ mode: 'full' });
    expect((await store.queryActivities({ source: 'odoo' })).items).toHaveLength(3);
  });

  it('updates the activity when its deadline moves, and keeps it when Odoo deletes the activity (marked done)', async () => {
    const { source, store, reconciler, clock } = world();
    source.write('mail.activity', call(1));
    await reconciler.run({ mode: 'full' });
    await clock.advance(60_000);
    source.write('mail.activity', call(1, { date_deadline: '2026-01-20', summary: 'Follow up (moved)' }));
    await reconciler.run({ mode: 'incremental' });
    let [moved] = (await store.queryActivities({ source: 'odoo' })).items;
    expect(moved).toMatchObject({ id: 'odoo:mail.activity:1', title: 'Call: Follow up (moved) (Cloud Migration Project)', metadata: { deadline: '2026-01-20' } });
    // Marked done in Odoo: the activity is unlinked and a "done" message posted.
    await clock.advance(60_000);
    source.unlink('mail.activity', [1]);
    source.write('mail.message', message(20, { message_type: 'notification', subtype_id: [3, 'Activities'], mail_activity_type_id: [2, 'Call'], body: '<div><span>Call</span> done: <span>Follow up (moved)</span></div>', model: 'crm.lead', res_id: 42, record_name: 'Cloud Migration Project' }));
    await reconciler.run({ mode: 'incremental' });
    expect((await store.getRecord('mail_activity', 1))?.inactiveReason).toBe('deleted');
    const items = (await store.queryActivities({ source: 'odoo' })).items;
    [moved] = items.filter((a) => a.id === 'odoo:mail.activity:1');
    expect(moved?.metadata['deadline']).toBe('2026-01-20');
    expect(items.find((a) => a.id === 'odoo:mail.message:20')).toMatchObject({ activityType: 'call', title: 'Call done: Follow up (moved) (Cloud Migration Project)', metadata: { done: true } });
  });

  it('stores no record of a page whose activities could not be written, and projects it on the retry', async () => {
    const { source, store, reconciler } = world();
    source.write('mail.activity', call(1));
    const upsert = store.upsertActivities.bind(store);
    let failures = 1;
    store.upsertActivities = async (activities) => {
      if (failures-- > 0) throw new Error('disk full');
      return upsert(activities);
    };
    const failed = await reconciler.run({ entities: ['mail_activity'], mode: 'full' });
    expect(failed.entries[0]?.status).toBe('failed');
    expect(await store.getRecord('mail_activity', 1)).toBeNull();
    await reconciler.run({ entities: ['mail_activity'], mode: 'full' });
    expect((await store.queryActivities({ source: 'odoo' })).items.map((a) => a.id)).toEqual(['odoo:mail.activity:1']);
  });
});

describe('Odoo activity under concurrency', () => {
  /**
   * A source whose reads of partners wait until the chatter messages have been read and stored,
   * so that a run that starts the messages beside the partners stores them first; a run that
   * waits for the partners gets their rows after a few turns of the event loop.
   */
  function heldSource(source: MemorySource) {
    let messagesRead = false;
    const reader: SourceReader = {
      async *readChanged(query: SourceQuery, options: ReadChangedOptions) {
        if (query.model === 'res.partner') for (let turn = 0; turn < 50 && !messagesRead; turn++) await new Promise((resolve) => setImmediate(resolve));
        yield* source.readChanged(query, options);
        if (query.model === 'mail.message') messagesRead = true;
      },
      readAllIds: (query, options) => source.readAllIds(query, options),
      readByIds: (query, ids, options) => source.readByIds(query, ids, options),
    };
    return reader;
  }

  it.each([
    { concurrency: 2, names: ['account', 'opportunity', 'mail_activity', 'mail_message'] },
    { concurrency: 6, names: [...BUILT_IN_ENTITIES.map((spec) => spec.name), 'mail_activity', 'mail_message'] },
  ])('names the partner and the lead of chatter synced beside them in a first run (concurrency $concurrency)', async ({ concurrency, names }) => {
    const clock = new ManualClock(NOW);
    const source = new MemorySource({ clock });
    const store = new MemoryStore();
    const entities = [...BUILT_IN_ENTITIES, mailActivity, mailMessage].filter((spec) => names.includes(spec.name));
    const projector = new ActivityProjector({ activities: store, records: store, entities, clock });
    const reconciler = new Reconciler({ source: heldSource(source), store, entities, projector, clock, retry: false, concurrency });
    source.write('res.partner', { id: 7, name: 'Acme', is_company: true, active: true });
    source.write('res.partner', { id: 8, name: 'Ana Souza', is_company: false, parent_id: [7, 'Acme'], active: true });
    source.write('crm.lead', { id: 42, name: 'Cloud Migration Project', type: 'opportunity', active: true });
    source.write('mail.message', message(11));
    source.write('mail.message', message(12, { res_id: 8, record_name: 'Ana Souza' }));
    source.write('mail.activity', call(1));
    source.write('mail.activity', call(2, { res_model: 'res.partner', res_id: 8, res_name: 'Ana Souza' }));
    const run = await reconciler.run({ mode: 'full' });
    expect(run.status).toBe('success');
    expect(run.entries.map((entry) => entry.entity)).toEqual(names);
    const byId = new Map((await store.queryActivities({ source: 'odoo' })).items.map((a) => [a.id, a]));
    expect(byId.get('odoo:mail.message:11')).toMatchObject({ entityType: 'account', entityId: '7' });
    expect(byId.get('odoo:mail.activity:1')).toMatchObject({ entityType: 'opportunity', entityId: '42' });
    // A contact is named when contacts are synced, and nothing is when they are not.
    const contact = names.includes('contact') ? 'contact' : null;
    expect(byId.get('odoo:mail.message:12')).toMatchObject({ entityType: contact, entityId: '8' });
    expect(byId.get('odoo:mail.activity:2')).toMatchObject({ entityType: contact, entityId: '8' });
  });

  it('names the partner of a message stored before it, once the partner is stored (a later run, or a webhook)', async () => {
    const { source, store, reconciler } = world();
    source.write('mail.message', message(11));
    source.write('mail.message', message(12, { res_id: 8, record_name: 'Ana Souza' }));
    source.write('mail.activity', call(1, { res_model: 'res.partner', res_id: 8, res_name: 'Ana Souza' }));
    // The chatter alone first: the partners are not stored, so their activities name no entity.
    await reconciler.run({ mode: 'full', entities: ['mail_message', 'mail_activity'] });
    const entityOf = async (id: string) => (await store.queryActivities({ source: 'odoo' })).items.find((a) => a.id === id)?.entityType;
    expect(await entityOf('odoo:mail.message:12')).toBeNull();
    // A webhook stores the contact: the message and the activity on it name it.
    expect((await reconciler.reconcileRecord('contact', 8)).outcome).toBe('inserted');
    expect(await entityOf('odoo:mail.message:12')).toBe('contact');
    expect(await entityOf('odoo:mail.activity:1')).toBe('contact');
    expect(await entityOf('odoo:mail.message:11')).toBeNull();
    // A later run stores the account: the message on it names it, with nothing read again from Odoo's chatter.
    const run = await reconciler.run({ mode: 'incremental' });
    expect(run.entries.find((entry) => entry.entity === 'mail_message')?.counts).toMatchObject({ inserted: 0, updated: 0 });
    expect(await entityOf('odoo:mail.message:11')).toBe('account');
    expect((await store.queryActivities({ source: 'odoo' })).items).toHaveLength(3);
  });

  it('names the entity that holds the partner now when a company is made a person', async () => {
    const { source, store, reconciler } = world();
    source.write('mail.message', message(11));
    await reconciler.run({ mode: 'full' });
    const entityOf = async (id: string) => (await store.queryActivities({ source: 'odoo' })).items.find((a) => a.id === id)?.entityType;
    expect(await entityOf('odoo:mail.message:11')).toBe('account');
    source.write('res.partner', { id: 7, name: 'Acme', is_company: false, active: true });
    expect((await reconciler.reconcileRecord('account', 7)).outcome).toBe('deleted');
    expect((await reconciler.reconcileRecord('contact', 7)).outcome).toBe('inserted');
    expect(await entityOf('odoo:mail.message:11')).toBe('contact');
  });

  it('starts the chatter entities only after the entities of the models they point at, whatever order they are given in', async () => {
    const clock = new ManualClock(NOW);
    const source = new MemorySource({ clock });
    const store = new MemoryStore();
    const entities: EntityDefinition[] = [mailMessage, ...BUILT_IN_ENTITIES];
    const reconciler = new Reconciler({ source, store, entities, clock, retry: false, concurrency: 6 });
    const names = [...reconciler.entities];
    expect(names.indexOf('mail_message')).toBeGreaterThan(Math.max(names.indexOf('account'), names.indexOf('contact'), names.indexOf('opportunity')));
    const order: string[] = [];
    reconciler.on('entity:finished', (entry) => order.push(entry.entity));
    await reconciler.run({ mode: 'full', entities: ['mail_message', 'contact', 'account'] });
    expect(order.at(-1)).toBe('mail_message');
  });
});

describe('Odoo chatter mapping', () => {
  it('makes HTML into short text', () => {
    expect(htmlToText('<p>Hello&nbsp;<b>Ana</b>,</p><p>see &lt;attached&gt; &#233;t&#xE9;</p><script>x()</script>')).toBe('Hello Ana, see <attached> été');
    expect(htmlToText(`<p>${'a'.repeat(400)}</p>`)).toHaveLength(300);
    expect(htmlToText(null)).toBe('');
  });

  it('maps activity types by category, then by name', () => {
    expect(odooActivityType('phonecall', 'Appel')).toBe('call');
    expect(odooActivityType('meeting', 'Réunion')).toBe('meeting');
    expect(odooActivityType('upload_file', 'Upload Document')).toBe('upload_document');
    expect(odooActivityType('default', 'Email')).toBe('email');
    expect(odooActivityType('default', 'To-Do')).toBe('todo');
    expect(odooActivityType('default', 'Send samples')).toBe('odoo_activity');
    expect(odooActivityType(null, 'Call')).toBe('call');
  });
});
