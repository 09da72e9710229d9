/**
 * Odoo's own activity, as entities: scheduled activities (`mail.activity`) and chatter messages
 * (`mail.message`) on opportunities and partners. Defined with {@link defineEntity} like any
 * entity, and each projects its records into the activity timeline (source `odoo`).
 * @module
 */
import { z } from 'zod';
import type { ActivityEvent } from '../activity/event.js';
import { activityTitle, compactMetadata, htmlToText, messageKind, odooActivityType } from '../activity/odoo-mail.js';
import type { ActivityProjectionContext } from '../activity/projection.js';
import { defineEntity } from './entity-definition.js';
import { isoDateSchema, isoDatetimeSchema, many2OneSchema } from './odoo-values.js';

/** The Odoo models whose chatter is synced. */
export const CHATTER_MODELS = ['crm.lead', 'res.partner'] as const;

/** Longest note or body text a synced activity or message keeps. */
const MAX_STORED_TEXT = 2000;

const m2o = many2OneSchema.nullable();
const text = z.string().nullable();

/** A scheduled activity (`mail.activity`); Odoo deletes it when it is marked done. */
export const mailActivitySchema = z
  .object({
    odooId: z.number().int().positive(),
    resModel: text,
    resId: z.number().int().nonnegative().nullable(),
    resName: text,
    activityTypeId: m2o,
    activityCategory: text,
    summary: text,
    note: text,
    dateDeadline: isoDateSchema.nullable(),
    userId: m2o,
    createDate: isoDatetimeSchema.nullable(),
    createUid: m2o,
  })
  .strict();
/** A normalised scheduled activity; `note` is plain text. */
export type MailActivity = z.infer<typeof mailActivitySchema>;

/** A message on a record's chatter (`mail.message`). */
export const mailMessageSchema = z
  .object({
    odooId: z.number().int().positive(),
    model: text,
    resId: z.number().int().nonnegative().nullable(),
    recordName: text,
    messageType: text,
    subtypeId: m2o,
    isInternal: z.boolean().nullable(),
    mailActivityTypeId: m2o,
    subject: text,
    body: text,
    authorId: m2o,
    date: isoDatetimeSchema.nullable(),
    createUid: m2o,
  })
  .strict();
/** A normalised chatter message; `body` is plain text. */
export type MailMessage = z.infer<typeof mailMessageSchema>;

const ENTITY_OF_MODEL: Record<string, string> = { 'crm.lead': 'opportunity' };

/** Where a chatter record points: the synced entity holding the document, by model and id. */
async function documentsOf(context: ActivityProjectionContext, refs: readonly { model: string | null; id: number | null }[]): Promise<(ref: { model: string | null; id: number | null }) => string | null> {
  const byModel = new Map<string, Set<number>>();
  for (const { model, id } of refs) if (model !== null && id !== null && id > 0) byModel.set(model, (byModel.get(model) ?? new Set()).add(id));
  const found = new Map<string, ReadonlyMap<number, string>>();
  for (const [model, ids] of byModel) found.set(model, await context.entitiesOf(model, [...ids]));
  return ({ model, id }) => (model === null || id === null ? null : (found.get(model)?.get(id) ?? ENTITY_OF_MODEL[model] ?? null));
}

const ids = (values: readonly ({ id: number } | null)[]): number[] => [...new Set(values.filter((v): v is { id: number } => v !== null).map((v) => v.id))];

function withText(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = record[key];
  return { ...record, [key]: typeof value === 'string' ? htmlToText(value, MAX_STORED_TEXT) || null : null };
}

/** Timeline activities of scheduled activities: one per activity, replaced when it changes. */
export async function mailActivityEvents(records: readonly MailActivity[], context: ActivityProjectionContext): Promise<ActivityEvent[]> {
  const entityOf = await documentsOf(context, records.map((r) => ({ model: r.resModel, id: r.resId })));
  const users = await context.appUsers(ids(records.map((r) => r.userId)));
  return records.map((r) => {
    const typeName = r.activityTypeId?.name ?? null;
    const user = r.userId ? users.get(r.userId.id) : undefined;
    return {
      id: `odoo:mail.activity:${r.odooId}`,
      activityType: odooActivityType(r.activityCategory, typeName),
      title: activityTitle(typeName ?? 'Activity', r.summary, r.resName),
      entityType: entityOf({ model: r.resModel, id: r.resId }),
      entityId: r.resId !== null && r.resId > 0 ? r.resId : null,
      userId: user?.id ?? null,
      userName: user?.name ?? r.userId?.name ?? null,
      source: 'odoo',
      ...(r.createDate ? { timestamp: r.createDate } : {}),
      metadata: compactMetadata({
        odooModel: 'mail.activity',
        odooId: r.odooId,
        resModel: r.resModel,
        resId: r.resId,
        activityTypeName: typeName,
        deadline: r.dateDeadline,
        assignee: r.userId?.name ?? null,
        createdBy: r.createUid?.name ?? null,
        note: r.note ? htmlToText(r.note) : null,
      }),
    };
  });
}

const KIND_TYPES = { note: 'note', email: 'email', message: 'message' } as const;
const KIND_LABELS = { note: 'Note', email: 'Email', message: 'Message' } as const;

/** Timeline activities of chatter messages: a note, an e-mail, a message, or a done activity. */
export async function mailMessageEvents(records: readonly MailMessage[], context: ActivityProjectionContext): Promise<ActivityEvent[]> {
  const entityOf = await documentsOf(context, records.map((r) => ({ model: r.model, id: r.resId })));
  const users = await context.appUsers(ids(records.map((r) => r.createUid)));
  return records.map((r) => {
    const kind = messageKind({ messageType: r.messageType, subtypeName: r.subtypeId?.name ?? null, isInternal: r.isInternal, activityTypeId: r.mailActivityTypeId?.id ?? null });
    const excerpt = htmlToText(r.body);
    // An e-mail comes from its author (often a customer); anything else was posted by a user.
    const user = kind !== 'email' && r.createUid ? users.get(r.createUid.id) : undefined;
    const typeName = r.mailActivityTypeId?.name ?? null;
    const activityType = kind === 'activity_done' ? odooActivityType(null, typeName) : KIND_TYPES[kind];
    const title =
      kind === 'activity_done'
        ? activityTitle(excerpt || `${typeName ?? 'Activity'} done`, null, r.recordName)
        : activityTitle(KIND_LABELS[kind], kind === 'email' ? (r.subject ?? (htmlToText(r.body, 80) || null)) : htmlToText(r.body, 80) || r.subject, r.recordName);
    return {
      id: `odoo:mail.message:${r.odooId}`,
      activityType,
      title,
      entityType: entityOf({ model: r.model, id: r.resId }),
      entityId: r.resId !== null && r.resId > 0 ? r.resId : null,
      userId: user?.id ?? null,
      userName: user?.name ?? r.authorId?.name ?? null,
      source: 'odoo',
      ...(r.date ? { timestamp: r.date } : {}),
      metadata: compactMetadata({
        odooModel: 'mail.message',
        odooId: r.odooId,
        resModel: r.model,
        resId: r.resId,
        messageType: r.messageType,
        done: kind === 'activity_done' ? true : null,
        activityTypeName: typeName,
        subject: r.subject,
        author: r.authorId?.name ?? null,
        excerpt,
      }),
    };
  });
}

/**
 * Scheduled activities on opportunities and partners (`mail.activity`, module `mail`): calls,
 * e-mails, meetings, to-dos and uploads, with their type, deadline and assignee. Odoo deletes
 * an activity when it is marked done (and posts a message, see {@link mailMessage}): the
 * record is then marked deleted, and its timeline activity stays.
 */
export const mailActivity = defineEntity({
  name: 'mail_activity',
  label: 'Scheduled activities',
  model: 'mail.activity',
  module: 'mail',
  domain: [['res_model', 'in', [...CHATTER_MODELS]]],
  fields: [
    { odoo: 'res_model', kind: 'text' },
    { odoo: 'res_id', kind: 'number' },
    { odoo: 'res_name', kind: 'text' },
    { odoo: 'activity_type_id', kind: 'many2one', relation: 'mail.activity.type' },
    { odoo: 'activity_category', kind: 'text' },
    { odoo: 'summary', kind: 'text' },
    { odoo: 'note', kind: 'text' },
    { odoo: 'date_deadline', kind: 'date' },
    { odoo: 'user_id', kind: 'many2one', relation: 'res.users' },
    { odoo: 'create_date', kind: 'datetime' },
    { odoo: 'create_uid', kind: 'many2one', relation: 'res.users' },
  ],
  hasActive: false,
  schema: mailActivitySchema,
  searchKeys: ['summary', 'resName'],
  filters: { user: 'userId.id', model: 'resModel', record: 'resId' },
  indexes: [{ fields: ['resModel', 'resId'] }],
  // Done activities are deleted in Odoo: many at once is ordinary, not a mass deletion.
  maxDeleteRatio: 1,
  // Synced after the entities holding the records it is on, so that its projection finds which
  // one (account or contact) holds a partner; projected again when one stores such a record late.
  attachedTo: { models: CHATTER_MODELS, model: 'resModel', id: 'resId' },
  toRecord: (record) => withText(record, 'note'),
  activities: mailActivityEvents,
});

/**
 * Messages on opportunities and partners (`mail.message`, module `mail`): notes, discussions
 * and e-mails (`message_type` comment or email) and the messages Odoo posts when an activity
 * is marked done (`mail_activity_type_id` set). Stage changes and other notifications are left out.
 */
export const mailMessage = defineEntity({
  name: 'mail_message',
  label: 'Chatter messages',
  model: 'mail.message',
  module: 'mail',
  domain: ['&', ['model', 'in', [...CHATTER_MODELS]], '|', ['message_type', 'in', ['comment', 'email']], ['mail_activity_type_id', '!=', false]],
  fields: [
    { odoo: 'model', kind: 'text' },
    { odoo: 'res_id', kind: 'number' },
    { odoo: 'record_name', kind: 'text' },
    { odoo: 'message_type', kind: 'text' },
    { odoo: 'subtype_id', kind: 'many2one', relation: 'mail.message.subtype' },
    { odoo: 'is_internal', kind: 'boolean' },
    { odoo: 'mail_activity_type_id', kind: 'many2one', relation: 'mail.activity.type' },
    { odoo: 'subject', kind: 'text' },
    { odoo: 'body', kind: 'text' },
    { odoo: 'author_id', kind: 'many2one', relation: 'res.partner' },
    { odoo: 'date', kind: 'datetime' },
    { odoo: 'create_uid', kind: 'many2one', relation: 'res.users' },
  ],
  hasActive: false,
  schema: mailMessageSchema,
  searchKeys: ['subject', 'body', 'recordName'],
  filters: { model: 'model', record: 'resId', type: 'messageType' },
  indexes: [{ fields: ['model', 'resId'] }],
  attachedTo: { models: CHATTER_MODELS, model: 'model', id: 'resId' },
  toRecord: (record) => withText(record, 'body'),
  activities: mailMessageEvents,
});

/** The chatter entities, in the order a run syncs them (after the records they are on). */
export const MAIL_ENTITIES = [mailActivity, mailMessage] as const;
