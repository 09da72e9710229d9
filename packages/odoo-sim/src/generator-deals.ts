/**
 * The dataset's deals: CRM leads and opportunities (open, won, lost; some owned by people who
 * left) and invoices, refunds and bills (draft, posted, cancelled, in every payment state).
 * @module
 */
import type { AccountMoveRow, CrmLeadRow, CrmStageRow, ResPartnerRow, ResUsersRow } from './dataset.js';
import { DAY, type Stamp } from './generator-support.js';
import { DEAL_SUBJECTS, FIRST_NAMES, slug } from './names.js';
import { formatOdooDate } from './odoo-time.js';
import type { SeededRandom } from './prng.js';

/** What the leads are drawn from. */
export interface LeadInput {
  /** How many leads. */
  count: number;
  /** The leads' own random stream. */
  random: SeededRandom;
  /** The next row's stamp, created and written by `uid`. */
  base: (uid?: number) => Stamp;
  /** Every timestamp is before this. */
  untilMs: number;
  /** CRM stages, the won stage last. */
  stages: readonly CrmStageRow[];
  /** Every partner, by id - 1. */
  partners: readonly ResPartnerRow[];
  /** Active customers with a name. */
  activeCustomerIds: readonly number[];
  /** Internal users (admin included, OdooBot not). */
  internalUsers: readonly ResUsersRow[];
  /** Internal users still active. */
  activeSalespeople: readonly ResUsersRow[];
  /** Internal users archived. */
  formerSalespeople: readonly ResUsersRow[];
}

/** The crm.lead rows. */
export function generateLeads(input: LeadInput): CrmLeadRow[] {
  const { random: rLeads, base, untilMs, stages, partners, activeCustomerIds, internalUsers, activeSalespeople, formerSalespeople } = input;
const leads: CrmLeadRow[] = [];
const wonStage = stages[stages.length - 1] as CrmStageRow;
const openStages = stages.slice(0, -1);
for (let i = 0; i < input.count; i++) {
  const id = i + 1;
  const type = rLeads.chance(0.85) ? 'opportunity' : 'lead';
  const partnerId = activeCustomerIds.length > 0 && rLeads.chance(type === 'lead' ? 0.4 : 0.9) ? rLeads.pick(activeCustomerIds) : false;
  const partner = partnerId !== false ? partners[partnerId - 1] : undefined;
  const commercial = partner && partner.parent_id !== false ? partners[partner.parent_id - 1] : partner;
  // Most deals have an active salesperson; some still belong to someone who left (archived user).
  const roll = rLeads.next();
  const salesperson =
    roll < 0.1 || internalUsers.length === 0
      ? false
      : roll < 0.17 && formerSalespeople.length > 0
        ? rLeads.pick(formerSalespeople).id
        : rLeads.pick(activeSalespeople.length > 0 ? activeSalespeople : internalUsers).id;
  const outcome = type === 'lead' ? 'open' : rLeads.weighted([
    ['open', 65],
    ['won', 22],
    ['lost', 13],
  ] as const);
  const stamp = base(salesperson === false ? 2 : salesperson);
  const stage = outcome === 'won' ? wonStage : rLeads.pick(openStages);
  const stageIndex = stages.indexOf(stage);
  const probability = outcome === 'won' ? 100 : outcome === 'lost' ? 0 : Math.min(95, Math.round(((stageIndex + 1) / stages.length) * 80 + rLeads.int(-5, 10)) + rLeads.int(0, 99) / 100);
  const closed = outcome === 'open' ? false : stamp.write_date;
  const subject = rLeads.pick(DEAL_SUBJECTS);
  const name = commercial && typeof commercial.name === 'string' && rLeads.chance(0.6) ? `${commercial.name}'s opportunity` : subject;
  leads.push({
    id,
    name,
    type,
    priority: rLeads.weighted([
      ['0', 50],
      ['1', 30],
      ['2', 15],
      ['3', 5],
    ] as const),
    user_id: salesperson,
    team_id: rLeads.chance(0.85) ? rLeads.pick([1, 1, 2, 3]) : false,
    partner_id: partnerId,
    stage_id: stage.id,
    probability,
    expected_revenue: rLeads.chance(0.9) ? rLeads.int(5, 900) * 100 : 0,
    date_deadline: rLeads.chance(0.6) ? formatOdooDate(new Date(untilMs + rLeads.int(-200, 120) * DAY)) : false,
    date_closed: closed,
    email_from: partner && typeof partner.email === 'string' ? partner.email : type === 'lead' && rLeads.chance(0.7) ? `${slug(rLeads.pick(FIRST_NAMES))}@gmail.example.com` : false,
    contact_name: partner && !partner.is_company && typeof partner.name === 'string' ? partner.name : false,
    partner_name: commercial && commercial.is_company && typeof commercial.name === 'string' ? commercial.name : false,
    company_id: rLeads.chance(0.9) ? 1 : 2,
    lost_reason_id: outcome === 'lost' ? rLeads.pick([1, 2, 3, 4]) : false,
    active: outcome !== 'lost',
    ...stamp,
  });
}
  return leads;
}

/** What the invoices are drawn from. */
export interface InvoiceInput {
  /** How many invoices. */
  count: number;
  /** The invoices' own random stream. */
  random: SeededRandom;
  /** The next row's stamp. */
  base: (uid?: number) => Stamp;
  /** Customer companies (may be empty). */
  companyIds: readonly number[];
  /** Every customer. */
  customerIds: readonly number[];
  /** Internal users (admin included, OdooBot not). */
  internalUsers: readonly ResUsersRow[];
}

/** The account.move rows. */
export function generateInvoices(input: InvoiceInput): AccountMoveRow[] {
  const { random: rMoves, base, companyIds, customerIds, internalUsers } = input;
const moves: AccountMoveRow[] = [];
const sequences = new Map<string, number>();
const invoicePartners = companyIds.length > 0 ? companyIds : customerIds;
for (let i = 0; i < input.count; i++) {
  const id = i + 1;
  const moveType = rMoves.weighted([
    ['out_invoice', 80],
    ['out_refund', 10],
    ['in_invoice', 10],
  ] as const);
  const state = rMoves.weighted([
    ['posted', 75],
    ['draft', 15],
    ['cancel', 10],
  ] as const);
  const stamp = base();
  const createdDay = stamp.create_date.slice(0, 10);
  const invoiceDate = state === 'draft' && rMoves.chance(0.5) ? false : createdDay;
  const year = createdDay.slice(0, 4);
  let name = '/';
  if (state !== 'draft') {
    const prefix = moveType === 'out_invoice' ? 'INV' : moveType === 'out_refund' ? 'RINV' : 'BILL';
    const key = `${prefix}/${year}`;
    const next = (sequences.get(key) ?? 0) + 1;
    sequences.set(key, next);
    name = `${key}/${String(next).padStart(5, '0')}`;
  }
  const untaxed = rMoves.int(50, 2_000_000) / 100;
  const tax = Math.round(untaxed * rMoves.pick([0, 0.06, 0.21, 0.21, 0.2]) * 100) / 100;
  const total = Math.round((untaxed + tax) * 100) / 100;
  const paymentState =
    state !== 'posted'
      ? 'not_paid'
      : rMoves.weighted([
          ['paid', 50],
          ['not_paid', 25],
          ['partial', 10],
          ['in_payment', 10],
          ['reversed', 5],
        ] as const);
  const residual =
    state === 'cancel' || paymentState === 'paid' || paymentState === 'in_payment' || paymentState === 'reversed'
      ? 0
      : paymentState === 'partial'
        ? Math.round(total * rMoves.int(10, 90)) / 100
        : total;
  const partnerId = invoicePartners.length > 0 && (state !== 'draft' || rMoves.chance(0.9)) ? rMoves.pick(rMoves.chance(0.85) ? invoicePartners : customerIds) : false;
  const companyId = rMoves.chance(0.9) ? 1 : 2;
  moves.push({
    id,
    name,
    ref: moveType === 'in_invoice' || rMoves.chance(0.2) ? `REF-${rMoves.int(1000, 99999)}` : false,
    move_type: moveType,
    state,
    payment_state: paymentState,
    date: invoiceDate === false ? createdDay : invoiceDate,
    invoice_date: invoiceDate,
    invoice_date_due: invoiceDate === false ? false : formatOdooDate(new Date(Date.parse(`${invoiceDate}T00:00:00Z`) + rMoves.pick([0, 15, 30, 30, 45, 60]) * DAY)),
    amount_untaxed: untaxed,
    amount_tax: tax,
    amount_total: total,
    amount_residual: residual,
    partner_id: partnerId,
    currency_id: companyId === 2 || rMoves.chance(0.1) ? 2 : 1,
    invoice_user_id: moveType !== 'in_invoice' && internalUsers.length > 0 && rMoves.chance(0.8) ? rMoves.pick(internalUsers).id : false,
    company_id: companyId,
    ...stamp,
  });
}
  return moves;
}
