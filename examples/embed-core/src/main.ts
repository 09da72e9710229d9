import { MemorySource, MemoryStore } from '@odoo-sync/core';
import { syncContacts } from './sync-contacts.js';

// An in-memory Odoo stand-in with two companies and three people.
const source = new MemorySource();
source.write('res.partner', { id: 1, name: 'Acme', is_company: true, active: true });
source.write('res.partner', { id: 2, name: 'Globex', is_company: true, active: true });
for (const [id, name, company] of [[3, 'Ana Souza', 1], [4, 'José Müller', 1], [5, 'Zoë Martin', 2]] as const) {
  source.write('res.partner', { id, name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, is_company: false, parent_id: [company, company === 1 ? 'Acme' : 'Globex'], active: true });
}

const store = new MemoryStore();
const result = await syncContacts(source, store);
console.log(`run ${result.runId}: ${result.status}`);
const contacts = await store.queryRecords('contact', { where: { 'parentId.id': 1 } });
console.log('Acme people:', contacts.items.map((record) => record.data.name));
