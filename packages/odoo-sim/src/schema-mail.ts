/**
 * The discuss models (Odoo's `mail` module) the simulator serves: `ir.model` (the models a
 * chatter record points at), `mail.activity.type`, `mail.activity` (scheduled activities:
 * calls, e-mails, meetings to do), `mail.message.subtype` and `mail.message` (the chatter:
 * notes, discussions, e-mails, notifications). Field names, types and labels follow Odoo 16–17
 * (`addons/mail/models/mail_activity.py`, `mail_activity_type.py`, `mail_message.py`).
 * @module
 */
import type { ComputeContext, ModelSpec, StoredRow, StoredValue } from './schema.js';

/** `mail.activity.type.category` (Odoo 17, with `calendar` installed, as `crm` does). */
export const ACTIVITY_CATEGORIES = [
  ['default', 'None'],
  ['upload_file', 'Upload Document'],
  ['phonecall', 'Phonecall'],
  ['meeting', 'Meeting'],
] as const;

/** `mail.message.message_type`. */
export const MESSAGE_TYPES = [
  ['email', 'Email'],
  ['comment', 'Comment'],
  ['notification', 'System notification'],
  ['user_notification', 'User Specific Notification'],
] as const;

/** `mail.activity.state`, computed from the deadline and today's date. */
export const ACTIVITY_STATES = [
  ['overdue', 'Overdue'],
  ['today', 'Today'],
  ['planned', 'Planned'],
] as const;

/** Ids of the message subtypes every database has (`mail.mt_comment`, `mail.mt_note`, `mail.mt_activities`). */
export const SUBTYPE = { comment: 1, note: 2, activities: 3 } as const;

/** Odoo's `_compute_state_from_date`: overdue before today, today, planned after (dates in UTC here). */
export function activityState(deadline: StoredValue | undefined, today: Date): StoredValue {
  if (typeof deadline !== 'string') return false;
  const day = today.toISOString().slice(0, 10);
  return deadline < day ? 'overdue' : deadline === day ? 'today' : 'planned';
}

function relatedOf(ctx: ComputeContext, model: string, id: StoredValue | undefined, field: string): StoredValue {
  if (typeof id !== 'number') return false;
  return ctx.row(model, id)?.[field] ?? false;
}

function text(row: StoredRow, field: string): string {
  const value = row[field];
  return typeof value === 'string' ? value : '';
}

/** The mail models, as `schema.ts` builds them (magic fields added there). */
export const MAIL_MODEL_SPECS: ModelSpec[] = [
  {
    name: 'ir.model',
    description: 'Models',
    module: 'base',
    order: 'model',
    fields: {
      name: { type: 'char', string: 'Model Description', required: true },
      model: { type: 'char', string: 'Model', required: true },
    },
  },
  {
    name: 'mail.activity.type',
    description: 'Activity Type',
    module: 'mail',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', string: 'Name', required: true },
      summary: { type: 'char', string: 'Default Summary' },
      sequence: { type: 'integer', string: 'Sequence', default: 10 },
      active: { type: 'boolean', string: 'Active', default: true },
      delay_count: { type: 'integer', string: 'Schedule', default: 0 },
      delay_unit: {
        type: 'selection',
        string: 'Delay units',
        selection: [
          ['days', 'days'],
          ['weeks', 'weeks'],
          ['months', 'months'],
        ],
        required: true,
        default: 'days',
      },
      icon: { type: 'char', string: 'Icon' },
      decoration_type: {
        type: 'selection',
        string: 'Decoration Type',
        selection: [
          ['warning', 'Alert'],
          ['danger', 'Error'],
        ],
      },
      category: { type: 'selection', string: 'Action', selection: ACTIVITY_CATEGORIES, default: 'default' },
      res_model: { type: 'char', string: 'Model' },
    },
  },
  {
    name: 'mail.activity',
    description: 'Activity',
    module: 'mail',
    order: 'date_deadline ASC, id ASC',
    fields: {
      res_model_id: { type: 'many2one', relation: 'ir.model', string: 'Document Model', required: true, ondelete: 'cascade' },
      res_model: { type: 'char', string: 'Related Document Model' },
      res_id: { type: 'many2one_reference', string: 'Related Document ID', required: true },
      res_name: { type: 'char', string: 'Document Name', readonly: true },
      activity_type_id: { type: 'many2one', relation: 'mail.activity.type', string: 'Activity Type', ondelete: 'restrict' },
      activity_category: {
        type: 'selection',
        string: 'Action',
        selection: ACTIVITY_CATEGORIES,
        readonly: true,
        store: false,
        compute: (row, ctx) => relatedOf(ctx, 'mail.activity.type', row['activity_type_id'], 'category'),
      },
      icon: { type: 'char', string: 'Icon', readonly: true, store: false, compute: (row, ctx) => relatedOf(ctx, 'mail.activity.type', row['activity_type_id'], 'icon') },
      summary: { type: 'char', string: 'Summary' },
      note: { type: 'html', string: 'Note' },
      date_deadline: { type: 'date', string: 'Due Date', required: true },
      automated: { type: 'boolean', string: 'Automated activity', readonly: true, default: false },
      user_id: { type: 'many2one', relation: 'res.users', string: 'Assigned to', required: true },
      state: { type: 'selection', string: 'State', selection: ACTIVITY_STATES, store: false, compute: (row, ctx) => activityState(row['date_deadline'], ctx.now()) },
    },
    displayName: (row) => text(row, 'summary') || text(row, 'res_name'),
  },
  {
    name: 'mail.message.subtype',
    description: 'Message subtypes',
    module: 'mail',
    order: 'sequence, id',
    fields: {
      name: { type: 'char', string: 'Message Type', required: true },
      description: { type: 'text', string: 'Description' },
      internal: { type: 'boolean', string: 'Internal Only', default: false },
      sequence: { type: 'integer', string: 'Sequence', default: 1 },
      hidden: { type: 'boolean', string: 'Hidden', default: false },
      default: { type: 'boolean', string: 'Default', default: true },
    },
  },
  {
    name: 'mail.message',
    description: 'Message',
    module: 'mail',
    order: 'id desc',
    fields: {
      subject: { type: 'char', string: 'Subject' },
      date: { type: 'datetime', string: 'Date' },
      body: { type: 'html', string: 'Contents', default: '' },
      model: { type: 'char', string: 'Related Document Model' },
      res_id: { type: 'many2one_reference', string: 'Related Document ID' },
      record_name: { type: 'char', string: 'Message Record Name' },
      message_type: { type: 'selection', string: 'Type', selection: MESSAGE_TYPES, required: true, default: 'comment' },
      subtype_id: { type: 'many2one', relation: 'mail.message.subtype', string: 'Subtype', ondelete: 'set null' },
      mail_activity_type_id: { type: 'many2one', relation: 'mail.activity.type', string: 'Mail Activity Type', ondelete: 'set null' },
      is_internal: { type: 'boolean', string: 'Employee Only', default: false },
      author_id: { type: 'many2one', relation: 'res.partner', string: 'Author', ondelete: 'set null' },
      email_from: { type: 'char', string: 'From' },
    },
    displayName: (row) => text(row, 'subject') || text(row, 'record_name'),
  },
];
