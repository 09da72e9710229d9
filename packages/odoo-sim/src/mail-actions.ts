/**
 * What the simulator's `mail` models do beyond plain create/write: the defaults Odoo fills in
 * on a new activity or message (document model and name, deadline, assignee, author, date),
 * and marking an activity done (`mail.activity.action_feedback`): Odoo posts a message with the
 * activity's type on the document, then deletes the activity for good.
 * @module
 */
import type { Env } from './database.js';
import { OdooSimError } from './exceptions.js';
import { formatOdooDate, formatOdooDatetime } from './odoo-time.js';
import type { StoredRow, StoredValue } from './schema.js';
import { SUBTYPE } from './schema-mail.js';

/** What the mail defaults read. */
export interface MailHost {
  /** A row by id (archived included). */
  row(model: string, id: number): StoredRow | undefined;
  /** Rows matching a domain. */
  search(env: Env, model: string, domain: unknown, options?: { limit?: number }): StoredRow[];
  /** `display_name` of a row, `''` when it does not exist. */
  displayName(model: string, id: number): string;
}

/** What {@link actionFeedback} does its work with. */
export interface MailActionHost extends MailHost {
  /** Creates records; returns their ids. */
  create(env: Env, model: string, valsList: readonly Record<string, unknown>[]): number[];
  /** Deletes records for good. */
  unlink(env: Env, model: string, ids: readonly number[]): void;
}

const SU: Env = { uid: 1, su: true, context: { active_test: false } };

function userPartner(host: MailHost, uid: number): number | false {
  const partner = host.row('res.users', uid)?.['partner_id'];
  return typeof partner === 'number' ? partner : false;
}

/** The defaults of a new `mail.activity` or `mail.message` (Odoo's `default_get` and related fields). */
export function applyMailDefaults(host: MailHost, now: () => Date, env: Env, model: string, values: Record<string, StoredValue>): void {
  if (model === 'mail.activity') {
    const modelId = values['res_model_id'];
    if (typeof modelId === 'number') values['res_model'] = host.row('ir.model', modelId)?.['model'] ?? false;
    else if (typeof values['res_model'] === 'string') {
      const [found] = host.search(SU, 'ir.model', [['model', '=', values['res_model']]], { limit: 1 });
      if (found) values['res_model_id'] = found.id;
    }
    const docModel = values['res_model'];
    const docId = values['res_id'];
    if (typeof docModel === 'string' && typeof docId === 'number' && docId > 0) values['res_name'] = host.displayName(docModel, docId) || false;
    if (values['date_deadline'] === undefined || values['date_deadline'] === false) values['date_deadline'] = formatOdooDate(now());
    if (values['user_id'] === undefined && host.row('res.users', env.uid)) values['user_id'] = env.uid;
  }
  if (model === 'mail.message') {
    if (values['date'] === undefined || values['date'] === false) values['date'] = formatOdooDatetime(now());
    if (values['author_id'] === undefined) values['author_id'] = userPartner(host, env.uid);
    const docModel = values['model'];
    const docId = values['res_id'];
    if (values['record_name'] === undefined && typeof docModel === 'string' && typeof docId === 'number' && docId > 0) {
      values['record_name'] = host.displayName(docModel, docId) || false;
    }
    if (values['subtype_id'] === SUBTYPE.note && values['is_internal'] === undefined) values['is_internal'] = true;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * `mail.activity.action_feedback(feedback)`: for each activity, posts on its document the
 * "<Type> done" message (`message_type` notification, subtype Activities, `mail_activity_type_id`
 * set, authored by the caller), then unlinks the activity. Returns the first message's id, or
 * `false` for no activity. Ids that do not exist → MissingError, as Odoo's `browse` + read.
 */
export function actionFeedback(host: MailActionHost, env: Env, ids: readonly number[], feedback: unknown): number | false {
  const activities = [...new Set(ids)].map((id) => {
    const row = host.row('mail.activity', id);
    if (!row) throw new OdooSimError('missing_error', `Record does not exist or has been deleted.\n(Record: mail.activity(${id},), User: ${env.uid})`);
    return row;
  });
  const messages: number[] = [];
  for (const activity of activities) {
    const typeId = activity['activity_type_id'];
    const typeName = typeof typeId === 'number' ? String(host.row('mail.activity.type', typeId)?.['name'] ?? '') : '';
    const summary = typeof activity['summary'] === 'string' ? activity['summary'] : '';
    const note = typeof activity['note'] === 'string' && activity['note'] !== '' ? activity['note'] : '';
    const parts = [`<span>${escapeHtml(typeName || 'Activity')}</span> done`];
    if (summary) parts.push(`: <span class="o_mail_activity_summary">${escapeHtml(summary)}</span>`);
    if (note) parts.push(`<div class="o_mail_note_title"><strong>Original note:</strong></div><div>${note}</div>`);
    if (typeof feedback === 'string' && feedback !== '') parts.push(`<div class="o_mail_note_title"><strong>Feedback:</strong></div><div>${escapeHtml(feedback)}</div>`);
    const [messageId] = host.create({ ...env, su: true }, 'mail.message', [
      {
        model: activity['res_model'],
        res_id: activity['res_id'],
        message_type: 'notification',
        subtype_id: SUBTYPE.activities,
        mail_activity_type_id: typeof typeId === 'number' ? typeId : false,
        is_internal: true,
        author_id: userPartner(host, env.uid),
        body: `<div class="o_mail_activity">${parts.join('')}</div>`,
      },
    ]);
    messages.push(messageId as number);
  }
  host.unlink({ ...env, su: true }, 'mail.activity', activities.map((activity) => activity.id));
  return messages[0] ?? false;
}
