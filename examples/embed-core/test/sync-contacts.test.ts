import { MemorySource, MemoryStore } from '@odoo-sync/core';
import { describe, expect, it, vi } from 'vitest';
import { syncContacts } from '../src/sync-contacts.js';

describe('example: embed core', () => {
  it('syncs companies and people into the store it is given', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const source = new MemorySource();
    source.write('res.partner', { id: 1, name: 'Acme', is_company: true, active: true });
    source.write('res.partner', { id: 2, name: 'Ana', email: 'ana@example.com', is_company: false, parent_id: [1, 'Acme'], active: true });
    const store = new MemoryStore();
    const result = await syncContacts(source, store);
    expect(result.status).toBe('success');
    expect(await store.countRecords('account')).toMatchObject({ active: 1 });
    expect((await store.getRecord('contact', 2))?.data).toMatchObject({ name: 'Ana', parentId: { id: 1, name: 'Acme' } });
  });
});
