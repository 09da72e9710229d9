/**
 * The CRM's own record methods on `crm.lead` that a client calls to close a deal:
 * `action_set_won` and `action_set_lost`, as Odoo 16–19 implement them, and the `crm.tag`
 * model an opportunity's `tag_ids` point at.
 * @module
 */
import type { Env, SimDatabase } from './database.js';
import { formatOdooDatetime } from './odoo-time.js';
import type { ModelSpec, StoredRow } from './schema.js';

/** `crm.tag` (module crm): the tags of leads and opportunities. */
export const CRM_TAG_MODEL_SPECS: ModelSpec[] = [
  {
    name: 'crm.tag',
    description: 'CRM Tag',
    module: 'crm',
    order: 'name',
    fields: {
      name: { type: 'char', string: 'Tag Name', required: true },
      color: { type: 'integer', string: 'Color' },
    },
  },
];

function sequenceOf(row: StoredRow | undefined): number {
  const value = row?.['sequence'];
  return typeof value === 'number' ? value : 0;
}

/**
 * The won stage Odoo's `action_set_won` moves a lead to: among the stages marked `is_won` (of
 * the lead's team or of no team, by sequence), the first one after the lead's stage, else the
 * last one before it.
 */
function wonStageFor(db: SimDatabase, env: Env, lead: StoredRow): number | false {
  const team = typeof lead['team_id'] === 'number' ? lead['team_id'] : false;
  const domain: unknown[] = [['is_won', '=', true]];
  const won = db.search({ ...env, su: true }, 'crm.stage', domain, { order: 'sequence, id' }).filter((stage) => {
    const stageTeam = stage['team_id'];
    return stageTeam === false || stageTeam === undefined || stageTeam === team;
  });
  if (won.length === 0) return false;
  const current = typeof lead['stage_id'] === 'number' ? sequenceOf(db.row('crm.stage', lead['stage_id'])) : 0;
  const after = won.find((stage) => sequenceOf(stage) > current);
  if (after) return after.id;
  const before = [...won].reverse().find((stage) => sequenceOf(stage) <= current);
  return (before ?? won[0])?.id ?? false;
}

/**
 * `crm.lead.action_set_won`: unarchives the leads (clearing a lost reason), moves each to its
 * won stage with probability 100 and stamps `date_closed`.
 */
export function setLeadsWon(db: SimDatabase, env: Env, ids: readonly number[]): void {
  const now = formatOdooDatetime(db.now());
  // A missing id fails like Odoo's write (MissingError) before anything changes.
  db.write(env, 'crm.lead', ids, {});
  for (const id of ids) {
    const lead = db.row('crm.lead', id) as StoredRow;
    const stage = wonStageFor(db, env, lead);
    db.write(env, 'crm.lead', [id], {
      active: true,
      lost_reason_id: false,
      probability: 100,
      date_closed: now,
      ...(stage === false ? {} : { stage_id: stage }),
    });
  }
}

/**
 * `crm.lead.action_set_lost(**additional_values)`: archives the leads (probability 0,
 * `date_closed` stamped) and writes the additional values, e.g. `lost_reason_id`.
 */
export function setLeadsLost(db: SimDatabase, env: Env, ids: readonly number[], additional: Readonly<Record<string, unknown>>): void {
  db.write(env, 'crm.lead', ids, { active: false, probability: 0, date_closed: formatOdooDatetime(db.now()), ...additional });
}
