/**
 * The shape of a generated dataset: rows per model in the stored form the simulator keeps
 * (many2one as a bare id or `false`, x2many as id arrays, empty values as `false`, dates
 * `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS` UTC).
 * @module
 */
import type { IrModelRow, MailActivityRow, MailActivityTypeRow, MailMessageRow, MailMessageSubtypeRow } from './generator-mail.js';
import type { ProductCategoryRow, ProductTemplateRow } from './products.js';
import type { StoredRow } from './schema.js';

/** How many rows of each kind {@link generateDataset} makes. */
export interface DatasetCounts {
  /** Customer partners (`res.partner`), companies and people together. Default 200. */
  partners: number;
  /** How many of `partners` are companies. Default `round(partners / 8)`. */
  companies?: number;
  /** `crm.lead` rows (mostly opportunities, some leads). Default 120. */
  opportunities: number;
  /** `account.move` rows (customer invoices and credit notes, a few vendor bills). Default 150. */
  invoices: number;
  /** `hr.employee` rows. Default 30. */
  employees: number;
  /** Generated `res.users`, besides the built-in OdooBot, admin and public user. Default 25. */
  users: number;
  /** `crm.stage` rows (at least 2; the last one is the won stage). Default 4. */
  stages?: number;
  /** `product.template` rows (goods and services in a few categories). Default 40. */
  products?: number;
  /** `mail.activity` rows: scheduled calls, e-mails, meetings… on opportunities and partners. Default 80. */
  activities?: number;
  /** `mail.message` rows: notes, discussions, e-mails and notifications on opportunities and partners. Default 200. */
  messages?: number;
}

/** Magic fields every generated row has. */
export interface BaseRow extends StoredRow {
  /** Creation time, `YYYY-MM-DD HH:MM:SS` UTC. */
  readonly create_date: string;
  /** Last write time, `YYYY-MM-DD HH:MM:SS` UTC. */
  readonly write_date: string;
  /** res.users id of the creator. */
  readonly create_uid: number;
  /** res.users id of the last writer. */
  readonly write_uid: number;
}

/** A `res.partner` row. */
export interface ResPartnerRow extends BaseRow {
  readonly name: string | false;
  readonly is_company: boolean;
  readonly type: string;
  readonly email: string | false;
  readonly phone: string | false;
  readonly mobile: string | false;
  readonly website: string | false;
  readonly vat: string | false;
  readonly ref: string | false;
  readonly street: string | false;
  readonly zip: string | false;
  readonly city: string | false;
  readonly country_id: number | false;
  readonly function: string | false;
  readonly parent_id: number | false;
  readonly company_id: number | false;
  readonly user_id: number | false;
  readonly customer_rank: number;
  readonly supplier_rank: number;
  readonly active: boolean;
}

/** A `res.users` row (credentials are not part of the dataset). */
export interface ResUsersRow extends BaseRow {
  readonly login: string;
  readonly name: string;
  readonly email: string | false;
  readonly partner_id: number;
  readonly company_id: number;
  readonly company_ids: readonly number[];
  readonly share: boolean;
  readonly login_date: string | false;
  readonly active: boolean;
}

/** An `hr.employee` row. */
export interface HrEmployeeRow extends BaseRow {
  readonly name: string;
  readonly work_email: string | false;
  readonly work_phone: string | false;
  readonly mobile_phone: string | false;
  readonly job_title: string | false;
  readonly user_id: number | false;
  readonly department_id: number | false;
  readonly parent_id: number | false;
  readonly company_id: number;
  readonly private_email: string | false;
  readonly private_phone: string | false;
  readonly birthday: string | false;
  readonly active: boolean;
}

/** A `crm.lead` row. */
export interface CrmLeadRow extends BaseRow {
  readonly name: string;
  readonly type: 'lead' | 'opportunity';
  readonly priority: string;
  readonly user_id: number | false;
  readonly team_id: number | false;
  readonly partner_id: number | false;
  readonly stage_id: number | false;
  readonly probability: number;
  readonly expected_revenue: number;
  readonly date_deadline: string | false;
  readonly date_closed: string | false;
  readonly email_from: string | false;
  readonly contact_name: string | false;
  readonly partner_name: string | false;
  readonly company_id: number | false;
  readonly lost_reason_id: number | false;
  readonly active: boolean;
}

/** A `crm.stage` row. */
export interface CrmStageRow extends BaseRow {
  readonly name: string;
  readonly sequence: number;
  readonly is_won: boolean;
  readonly fold: boolean;
  readonly team_id: number | false;
}

/** An `account.move` row. */
export interface AccountMoveRow extends BaseRow {
  readonly name: string;
  readonly ref: string | false;
  readonly move_type: string;
  readonly state: 'draft' | 'posted' | 'cancel';
  readonly payment_state: string;
  readonly date: string;
  readonly invoice_date: string | false;
  readonly invoice_date_due: string | false;
  readonly amount_untaxed: number;
  readonly amount_tax: number;
  readonly amount_total: number;
  readonly amount_residual: number;
  readonly partner_id: number | false;
  readonly currency_id: number;
  readonly invoice_user_id: number | false;
  readonly company_id: number;
}

/** Rows of the small reference models (companies, countries, currencies, teams, …). */
export interface NamedRow extends BaseRow {
  readonly name: string;
}

/** Rows per model, each array in ascending id order. */
export interface DatasetModels {
  'res.company': NamedRow[];
  'res.country': NamedRow[];
  'res.currency': NamedRow[];
  'res.partner': ResPartnerRow[];
  'res.users': ResUsersRow[];
  'crm.team': NamedRow[];
  'crm.stage': CrmStageRow[];
  'crm.lost.reason': NamedRow[];
  'crm.lead': CrmLeadRow[];
  'account.move': AccountMoveRow[];
  'hr.department': NamedRow[];
  'hr.employee': HrEmployeeRow[];
  'product.category': ProductCategoryRow[];
  'product.template': ProductTemplateRow[];
  'ir.model': IrModelRow[];
  'mail.activity.type': MailActivityTypeRow[];
  'mail.message.subtype': MailMessageSubtypeRow[];
  'mail.activity': MailActivityRow[];
  'mail.message': MailMessageRow[];
}

/**
 * A generated dataset: deterministic for a seed and counts. Load it into a simulator with
 * `startOdooSim({ dataset })`; the simulator never mutates these rows.
 */
export interface Dataset {
  /** The seed it was generated from. */
  readonly seed: number;
  /** The counts used (defaults filled in). */
  readonly counts: Required<DatasetCounts>;
  /** Every generated `create_date` / `write_date` is before this time (`YYYY-MM-DD HH:MM:SS`). */
  readonly until: string;
  /** Rows per model. */
  readonly models: DatasetModels;
}
