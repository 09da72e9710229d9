/**
 * The dataset's chatter: the activity types and message subtypes every database has, the
 * `ir.model` rows documents point at, scheduled activities (`mail.activity`: calls, e-mails,
 * meetings, to-dos, uploads; overdue, due today and planned) and messages (`mail.message`:
 * internal notes, discussions, incoming e-mails, stage-change notifications and "activity done"
 * messages) on opportunities and partners. Drawn from its own random stream and stamps, so the
 * other models' rows are the same with or without it.
 * @module
 */
import type { BaseRow, CrmLeadRow, NamedRow, ResPartnerRow, ResUsersRow } from './dataset.js';
import { DAY, type Stamp } from './generator-support.js';
import { formatOdooDate, formatOdooDatetime } from './odoo-time.js';
import type { SeededRandom } from './prng.js';
import { SUBTYPE } from './schema-mail.js';

/** An `ir.model` row. */
export interface IrModelRow extends NamedRow {
  readonly model: string;
}

/** A `mail.activity.type` row. */
export interface MailActivityTypeRow extends NamedRow {
  readonly summary: string | false;
  readonly sequence: number;
  readonly icon: string;
  readonly category: 'default' | 'upload_file' | 'phonecall' | 'meeting';
  readonly delay_count: number;
  readonly delay_unit: string;
  readonly active: boolean;
}

/** A `mail.message.subtype` row. */
export interface MailMessageSubtypeRow extends NamedRow {
  readonly internal: boolean;
  readonly sequence: number;
  readonly default: boolean;
  readonly hidden: boolean;
}

/** A `mail.activity` row. */
export interface MailActivityRow extends BaseRow {
  readonly res_model_id: number;
  readonly res_model: string;
  readonly res_id: number;
  readonly res_name: string;
  readonly activity_type_id: number;
  readonly summary: string | false;
  readonly note: string | false;
  readonly date_deadline: string;
  readonly automated: boolean;
  readonly user_id: number;
}

/** A `mail.message` row. */
export interface MailMessageRow extends BaseRow {
  readonly subject: string | false;
  readonly date: string;
  readonly body: string;
  readonly model: string;
  readonly res_id: number;
  readonly record_name: string | false;
  readonly message_type: 'email' | 'comment' | 'notification' | 'user_notification';
  readonly subtype_id: number | false;
  readonly mail_activity_type_id: number | false;
  readonly is_internal: boolean;
  readonly author_id: number | false;
  readonly email_from: string | false;
}

/** Ids of the activity types (data of the `mail` and `calendar` modules, in their install order). */
export const ACTIVITY_TYPE = { email: 1, call: 2, meeting: 3, todo: 4, upload: 5 } as const;

/** What the chatter is drawn from. */
export interface MailInput {
  /** The chatter's own random stream. */
  random: SeededRandom;
  /** Every timestamp is before this. */
  untilMs: number;
  /** How many activities. */
  activities: number;
  /** How many messages. */
  messages: number;
  /** Every model the simulator knows: `[technical name, description]`, for `ir.model`. */
  models: readonly (readonly [string, string])[];
  /** Every partner, by id - 1. */
  partners: readonly ResPartnerRow[];
  /** Every user, by id - 1. */
  users: readonly ResUsersRow[];
  /** Every lead, by id - 1. */
  leads: readonly CrmLeadRow[];
  /** Customer partners (ids). */
  customerIds: readonly number[];
  /** Stamp of the setup data. */
  setupStamp: Stamp;
}

/** The chatter's rows. */
export interface MailData {
  models: IrModelRow[];
  activityTypes: MailActivityTypeRow[];
  subtypes: MailMessageSubtypeRow[];
  activities: MailActivityRow[];
  messages: MailMessageRow[];
}

const SUMMARIES: Record<keyof typeof ACTIVITY_TYPE, readonly string[]> = {
  call: ['Follow up on quote', 'Discovery call', 'Check the budget', 'Call back about delivery', 'Rappeler le client'],
  email: ['Send the proposal', 'Send the price list', 'Answer their questions', 'Angebot nachfassen'],
  meeting: ['Product demo', 'Contract review', 'Kick-off meeting', 'On-site visit'],
  todo: ['Prepare the quote', 'Update the requirements', 'Check references', 'Preparar presupuesto'],
  upload: ['Signed contract', 'Purchase order', 'NDA'],
};

const NOTES = [
  '<p>They asked for a discount on volume &amp; a faster delivery.</p>',
  '<p>Decision maker is the <b>CFO</b>; budget approved for Q3.</p>',
  '<p>Competitor offer is 10% cheaper. Prepare arguments.</p>',
  '<ul><li>Desks</li><li>Chairs</li><li>Meeting room tables</li></ul>',
  '<p>Le client souhaite une démo avant la fin du mois.</p>',
];

const EMAIL_BODIES = [
  '<p>Hello,</p><p>Could you send us an updated quote including installation? We would like to decide before the end of the month.</p><p>Best regards</p>',
  '<p>Bonjour,</p><p>Merci pour la présentation. Pouvez-vous confirmer les délais de livraison ?</p>',
  '<p>Hi,</p><p>Please find our purchase requirements attached. We need 20 desks, 40 chairs and 4 meeting tables delivered to our new office, with assembly on site. Our facilities team is available on weekdays from 8 to 17. Let us know if anything is missing from the list; we can also arrange a call with our architect to go through the floor plan together.</p><p>Kind regards,</p><p>-- <br/>Procurement</p>',
  '<p>Guten Tag,</p><p>wir haben noch Fragen zum Wartungsvertrag.</p>',
];

/** One row of every simulated model, in the order given. */
function irModels(input: MailInput): IrModelRow[] {
  return input.models.map(([model, name], i) => ({ id: i + 1, name, model, ...input.setupStamp }));
}

function activityTypes(stamp: Stamp): MailActivityTypeRow[] {
  const row = (id: number, name: string, icon: string, category: MailActivityTypeRow['category'], sequence: number): MailActivityTypeRow => ({
    id,
    name,
    summary: false,
    sequence,
    icon,
    category,
    delay_count: 0,
    delay_unit: 'days',
    active: true,
    ...stamp,
  });
  // mail.mail_activity_data_email, _call, calendar's _meeting, _todo, _upload_document.
  return [
    row(ACTIVITY_TYPE.email, 'Email', 'fa-envelope', 'default', 3),
    row(ACTIVITY_TYPE.call, 'Call', 'fa-phone', 'phonecall', 6),
    row(ACTIVITY_TYPE.meeting, 'Meeting', 'fa-users', 'meeting', 9),
    row(ACTIVITY_TYPE.todo, 'To-Do', 'fa-check', 'default', 12),
    row(ACTIVITY_TYPE.upload, 'Upload Document', 'fa-upload', 'upload_file', 25),
  ];
}

function subtypes(stamp: Stamp): MailMessageSubtypeRow[] {
  // mail.mt_comment, mail.mt_note, mail.mt_activities.
  return [
    { id: SUBTYPE.comment, name: 'Discussions', internal: false, sequence: 0, default: true, hidden: false, ...stamp },
    { id: SUBTYPE.note, name: 'Note', internal: true, sequence: 100, default: false, hidden: false, ...stamp },
    { id: SUBTYPE.activities, name: 'Activities', internal: true, sequence: 90, default: true, hidden: false, ...stamp },
  ];
}

interface Doc {
  model: 'crm.lead' | 'res.partner';
  id: number;
  name: string;
  createdMs: number;
  /** The internal user in charge, if any. */
  owner: number | false;
  /** The customer partner it is about, if any. */
  customer: number | false;
}

function partnerName(partners: readonly ResPartnerRow[], partner: ResPartnerRow): string {
  const name = typeof partner.name === 'string' ? partner.name : '';
  if (partner.is_company || partner.parent_id === false) return name;
  const parent = partners[partner.parent_id - 1];
  return parent && typeof parent.name === 'string' ? `${parent.name}, ${name}` : name;
}

const odooMs = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

/** Generates the chatter (see the module). */
export function generateMail(input: MailInput): MailData {
  const { random, untilMs, partners, users, leads } = input;
  const setup = input.setupStamp;
  const models = irModels(input);
  const modelId = (model: string) => models.find((row) => row.model === model)?.id ?? 1;
  const activeInternal = users.filter((user) => user.active && !user.share && user.id !== 1);
  const docs: Doc[] = [];
  for (const lead of leads) {
    if (!lead.active) continue;
    docs.push({ model: 'crm.lead', id: lead.id, name: lead.name, createdMs: odooMs(lead.create_date), owner: lead.user_id, customer: lead.partner_id });
  }
  for (const id of input.customerIds) {
    const partner = partners[id - 1];
    if (!partner || !partner.active || partner.name === false) continue;
    docs.push({ model: 'res.partner', id, name: partnerName(partners, partner), createdMs: odooMs(partner.create_date), owner: partner.user_id, customer: id });
  }
  const leadDocs = docs.filter((doc) => doc.model === 'crm.lead');
  const partnerDocs = docs.filter((doc) => doc.model === 'res.partner');
  const pickDoc = (): Doc | undefined => {
    const pool = leadDocs.length > 0 && (partnerDocs.length === 0 || random.chance(0.7)) ? leadDocs : partnerDocs;
    return pool.length > 0 ? random.pick(pool) : undefined;
  };
  const isActiveInternal = (uid: number | false): uid is number => uid !== false && activeInternal.some((user) => user.id === uid);
  const actor = (doc: Doc): number => (isActiveInternal(doc.owner) && random.chance(0.8) ? doc.owner : activeInternal.length > 0 ? random.pick(activeInternal).id : 2);
  const partnerOf = (uid: number): number | false => users[uid - 1]?.partner_id ?? false;
  const between = (fromMs: number): number => {
    const start = Math.min(Math.max(fromMs, untilMs - 400 * DAY), untilMs - 2000);
    return start + random.int(0, Math.floor((untilMs - 1000 - start) / 1000)) * 1000;
  };

  const pickType = () =>
    random.weighted<keyof typeof ACTIVITY_TYPE>([
      ['call', 35],
      ['email', 25],
      ['meeting', 15],
      ['todo', 20],
      ['upload', 5],
    ]);

  const draftActivities: MailActivityRow[] = [];
  for (let i = 0; i < input.activities; i++) {
    const doc = pickDoc();
    if (!doc) break;
    const type = pickType();
    const assignee = actor(doc);
    const createdMs = untilMs - random.int(1, 60 * 86_400) * 1000;
    const writtenMs = random.chance(0.3) ? createdMs + random.int(0, Math.floor((untilMs - 1000 - createdMs) / 1000)) * 1000 : createdMs;
    draftActivities.push({
      id: 0,
      res_model_id: modelId(doc.model),
      res_model: doc.model,
      res_id: doc.id,
      res_name: doc.name,
      activity_type_id: ACTIVITY_TYPE[type],
      summary: random.chance(0.9) ? random.pick(SUMMARIES[type]) : false,
      note: random.chance(0.5) ? random.pick(NOTES) : false,
      date_deadline: formatOdooDate(new Date(untilMs + random.int(-20, 30) * DAY)),
      automated: random.chance(0.1),
      user_id: assignee,
      create_date: formatOdooDatetime(new Date(createdMs)),
      write_date: formatOdooDatetime(new Date(writtenMs)),
      create_uid: random.chance(0.7) ? assignee : 2,
      write_uid: assignee,
    });
  }

  const draftMessages: MailMessageRow[] = [];
  for (let i = 0; i < input.messages; i++) {
    const doc = pickDoc();
    if (!doc) break;
    const kind = random.weighted([
      ['note', 33],
      ['discussion', 15],
      ['email', 25],
      ['notification', 15],
      ['done', 10],
      ['user_notification', 2],
    ] as const);
    const at = formatOdooDatetime(new Date(between(doc.createdMs)));
    const user = actor(doc);
    const customer = doc.customer !== false ? partners[doc.customer - 1] : undefined;
    const base = { id: 0, date: at, model: doc.model, res_id: doc.id, record_name: doc.name, create_date: at, write_date: at, email_from: false as const };
    if (kind === 'email') {
      const from = customer && typeof customer.email === 'string' ? customer.email : 'someone@gmail.example.com';
      draftMessages.push({
        ...base,
        subject: `Re: ${doc.name}`,
        body: random.pick(EMAIL_BODIES),
        message_type: 'email',
        subtype_id: SUBTYPE.comment,
        mail_activity_type_id: false,
        is_internal: false,
        author_id: customer ? customer.id : false,
        email_from: from,
        create_uid: 1,
        write_uid: 1,
      });
      continue;
    }
    if (kind === 'notification') {
      draftMessages.push({
        ...base,
        subject: false,
        body: '',
        message_type: 'notification',
        subtype_id: false,
        mail_activity_type_id: false,
        is_internal: false,
        author_id: partnerOf(user),
        create_uid: user,
        write_uid: user,
      });
      continue;
    }
    if (kind === 'done') {
      const type = pickType();
      const typeName = activityTypes(setup)[ACTIVITY_TYPE[type] - 1]?.name ?? 'Activity';
      draftMessages.push({
        ...base,
        subject: false,
        body: `<div class="o_mail_activity"><span>${typeName}</span> done: <span class="o_mail_activity_summary">${random.pick(SUMMARIES[type])}</span></div>`,
        message_type: 'notification',
        subtype_id: SUBTYPE.activities,
        mail_activity_type_id: ACTIVITY_TYPE[type],
        is_internal: true,
        author_id: partnerOf(user),
        create_uid: user,
        write_uid: user,
      });
      continue;
    }
    const note = kind === 'note';
    draftMessages.push({
      ...base,
      subject: false,
      body: note ? random.pick(NOTES) : `<p>${random.pick(['Thanks, we will get back to you shortly.', 'Quote sent, waiting for their answer.', 'Meeting moved to next week.'])}</p>`,
      message_type: kind === 'user_notification' ? 'user_notification' : 'comment',
      subtype_id: note ? SUBTYPE.note : SUBTYPE.comment,
      mail_activity_type_id: false,
      is_internal: note,
      author_id: partnerOf(user),
      create_uid: user,
      write_uid: user,
    });
  }
  // Ids follow creation time, as a database's sequence does.
  const byCreation = <T extends BaseRow>(rows: T[]) => rows.sort((a, b) => (a.create_date < b.create_date ? -1 : a.create_date > b.create_date ? 1 : 0));
  return {
    models,
    activityTypes: activityTypes(setup),
    subtypes: subtypes(setup),
    activities: byCreation(draftActivities).map((row, i) => ({ ...row, id: i + 1 })),
    messages: byCreation(draftMessages).map((row, i) => ({ ...row, id: i + 1 })),
  };
}
