import { ManualClock, MemorySource, Reconciler, type SourceQuery, type SourceReader } from '@odoo-sync/core';
import { ActivityProjector } from '@odoo-sync/core/activity';
import { BUILT_IN_ENTITIES, MAIL_ENTITIES } from '@odoo-sync/core/entities';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { tempDatabase } from './helpers.js';

const NOW = new Date('2026-01-10T12:00:00.000Z');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function message(id: number, resId: number) {
  return {
    id,
    model: 'res.partner',
    res_id: resId,
    record_name: `Partner ${resId}`,
    message_type: 'comment',
    subtype_id: [2, 'Note'],
    is_internal: true,
    mail_activity_type_id: false,
    subject: false,
    body: '<p>Decision maker is the CFO</p>',
    author_id: [9, 'Bruno Lima'],
    date: '2026-01-06 10:00:00',
    create_uid: [6, 'Bruno Lima'],
  };
}

/** Partners are read only once the messages were read and stored, or after 50 turns of the event loop. */
function heldSource(source: MemorySource): SourceReader {
  let messagesRead = false;
  return {
    async *readChanged(query: SourceQuery, options: Parameters<SourceReader['readChanged']>[1]) {
      if (query.model === 'res.partner') for (let turn = 0; turn < 50 && !messagesRead; turn++) await new Promise((resolve) => setImmediate(resolve));
      yield* source.readChanged(query, options);
      if (query.model === 'mail.message') messagesRead = true;
    },
    readAllIds: (query, options) => source.readAllIds(query, options),
    readByIds: (query, ids, options) => source.readByIds(query, ids, options),
  };
}

describe('chatter projected into a SQLite store', () => {
  it('names the partner of each message: synced beside it under concurrency, or stored after it', async () => {
    const { path, remove } = tempDatabase();
    const entities = [...BUILT_IN_ENTITIES, ...MAIL_ENTITIES];
    const store = new SqliteStore({ path, entities });
    cleanups.push(async () => {
      await store.close();
      remove();
    });
    const clock = new ManualClock(NOW);
    const source = new MemorySource({ clock });
    const projector = new ActivityProjector({ activities: store, records: store, entities, clock });
    const reconciler = new Reconciler({ source: heldSource(source), store, entities, projector, clock, retry: false, concurrency: 6 });
    source.write('res.partner', { id: 7, name: 'Acme', is_company: true, active: true });
    source.write('res.partner', { id: 8, name: 'Ana Souza', is_company: false, parent_id: [7, 'Acme'], active: true });
    source.write('mail.message', message(11, 7));
    source.write('mail.message', message(12, 8));
    expect((await reconciler.run({ mode: 'full' })).status).toBe('success');
    const entityOf = async (id: string) => (await store.queryActivities({ source: 'odoo' })).items.find((a) => a.id === id)?.entityType;
    expect(await entityOf('odoo:mail.message:11')).toBe('account');
    expect(await entityOf('odoo:mail.message:12')).toBe('contact');
    // A message on a partner the store does not hold yet names no entity, until the partner is stored.
    source.write('mail.message', message(13, 20));
    await reconciler.reconcileRecord('mail_message', 13);
    expect(await entityOf('odoo:mail.message:13')).toBeNull();
    source.write('res.partner', { id: 20, name: 'Globex', is_company: true, active: true });
    await reconciler.run({ mode: 'incremental' });
    expect(await entityOf('odoo:mail.message:13')).toBe('account');
  });
});
