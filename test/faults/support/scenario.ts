/**
 * What every process-level scenario sets up: a seeded odoo-sim, a temporary directory with the
 * SQLite file, seeded changes to Odoo between runs, and the final comparison.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityName } from '@odoo-sync/core';
import { type OdooSim, type OdooSimUser, startOdooSim } from '@odoo-sync/odoo-sim';
import { SeededRandom } from '../../../packages/odoo-sim/src/prng.js';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { type Comparison, compareStoreWithSim } from './compare.js';
import type { ServerSetup } from './processes.js';

/** Small, messy, seeded: about 500 records over the six entities. */
export const SMALL_COUNTS = { partners: 150, companies: 20, opportunities: 100, invoices: 100, employees: 20, users: 10, stages: 4 };

/** A scenario's Odoo and directory. */
export interface World {
  sim: OdooSim;
  dir: string;
  storePath: string;
  /** Server settings pointing at `odooUrl` (the sim unless given). */
  setup(odooUrl?: string, extra?: Partial<ServerSetup>): ServerSetup;
  /** Opens the SQLite file (read beside the running servers) and compares it with the sim. */
  compare(entities?: readonly EntityName[]): Promise<Comparison>;
  /** Removes everything. */
  close(): Promise<void>;
}

/** Starts a seeded sim (Odoo 17, XML-RPC, unless `version` says otherwise) and a temporary directory. */
export async function createWorld(seed: number, counts: Partial<typeof SMALL_COUNTS> = SMALL_COUNTS, users: OdooSimUser[] = [], version = '17.0'): Promise<World> {
  const sim = await startOdooSim({ host: '127.0.0.1', port: 0, seed, counts, users, version });
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-faults-'));
  const storePath = join(dir, 'store.db');
  return {
    sim,
    dir,
    storePath,
    setup: (odooUrl = sim.url, extra = {}) => ({
      odooUrl,
      db: sim.db,
      username: sim.credentials.username,
      apiKey: sim.credentials.apiKey,
      storePath,
      dir,
      ...extra,
    }),
    async compare(entities) {
      const store = SqliteStore.open(storePath);
      try {
        return await compareStoreWithSim(store, sim, entities);
      } finally {
        await store.close();
      }
    },
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pick<T>(random: SeededRandom, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[random.int(0, items.length - 1)];
}

/** What {@link mutateOdoo} changed. */
export interface Mutations {
  created: number;
  updated: number;
  archived: number;
  deleted: number;
}

/**
 * Seeded changes in Odoo between runs, as users make them: new opportunities and contacts,
 * edits, archivings, deleted opportunities. Referenced records are neither renamed nor deleted
 * (their stale copies in referencing records are another defect's scenario).
 */
export function mutateOdoo(sim: OdooSim, random: SeededRandom, size = 8): Mutations {
  const done: Mutations = { created: 0, updated: 0, archived: 0, deleted: 0 };
  const leads = sim.searchRead('crm.lead', [['type', '=', 'opportunity']], { fields: ['id', 'active'], activeTest: false }).map((r) => r['id']);
  const contacts = sim.searchRead('res.partner', [['is_company', '=', false]], { fields: ['id'] }).map((r) => r['id']);
  const companies = sim.searchRead('res.partner', [['is_company', '=', true]], { fields: ['id'] }).map((r) => r['id']);
  const invoices = sim.searchRead('account.move', [['move_type', 'in', ['out_invoice', 'out_refund']]], { fields: ['id'] }).map((r) => r['id']);
  for (let i = 0; i < size; i++) {
    const roll = random.int(0, 9);
    if (roll <= 1) {
      sim.create('crm.lead', {
        name: `Fault suite deal ${random.hex(6)}`,
        type: 'opportunity',
        expected_revenue: random.int(100, 90_000),
        probability: random.int(0, 100),
        ...(companies.length ? { partner_id: pick(random, companies) } : {}),
      });
      done.created++;
    } else if (roll === 2) {
      sim.create('res.partner', { name: `Fault Contact ${random.hex(4)}`, is_company: false, email: `fault.${random.hex(6)}@example.com`, city: 'Ghent' });
      done.created++;
    } else if (roll <= 4) {
      const id = pick(random, leads);
      if (id !== undefined) sim.write('crm.lead', [id], { probability: random.int(0, 100), name: `Deal ${random.hex(5)}` });
      done.updated++;
    } else if (roll <= 6) {
      const id = pick(random, contacts);
      if (id !== undefined) sim.write('res.partner', [id], { phone: `+32 4${random.int(10_000_000, 99_999_999)}`, city: pick(random, ['Liège', 'Namur', 'Gent']) });
      done.updated++;
    } else if (roll === 7) {
      const id = pick(random, invoices);
      if (id !== undefined) sim.write('account.move', [id], { payment_state: pick(random, ['paid', 'not_paid', 'partial']) });
      done.updated++;
    } else if (roll === 8) {
      const id = pick(random, leads);
      if (id !== undefined) sim.write('crm.lead', [id], { active: random.chance(0.7) ? false : true });
      done.archived++;
    } else {
      const id = pick(random, leads);
      if (id !== undefined && sim.count('crm.lead', [['id', '=', id]], { activeTest: false }) > 0) {
        sim.unlink('crm.lead', [id]);
        leads.splice(leads.indexOf(id), 1);
        done.deleted++;
      }
    }
  }
  return done;
}
