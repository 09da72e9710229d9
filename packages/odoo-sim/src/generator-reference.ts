/**
 * The dataset's reference data: countries, currencies, the two companies, sales teams, CRM
 * stages (the last one won), lost reasons and departments.
 * @module
 */
import type { CrmStageRow, NamedRow } from './dataset.js';
import { INTERNAL_DOMAIN, type Stamp } from './generator-support.js';
import { COUNTRIES } from './names.js';

/** The reference rows; all stamped at setup time. */
export interface ReferenceData {
  /** res.country */
  countries: NamedRow[];
  /** res.currency */
  currencies: NamedRow[];
  /** res.company */
  companies: NamedRow[];
  /** crm.team */
  teams: NamedRow[];
  /** crm.stage, the won stage last */
  stages: CrmStageRow[];
  /** crm.lost.reason */
  lostReasons: NamedRow[];
  /** hr.department */
  departments: NamedRow[];
}

/** The reference rows for `stageCount` CRM stages. */
export function referenceData(stageCount: number, setupStamp: Stamp): ReferenceData {
const countries: NamedRow[] = COUNTRIES.map(([name, code], i) => ({ id: i + 1, name, code, ...setupStamp }));
const currencies: NamedRow[] = [
  { id: 1, name: 'EUR', symbol: '€', active: true, ...setupStamp },
  { id: 2, name: 'USD', symbol: '$', active: true, ...setupStamp },
  { id: 3, name: 'CHF', symbol: 'CHF', active: false, ...setupStamp },
];
const companies: NamedRow[] = [
  { id: 1, name: 'YourCompany', sequence: 0, partner_id: 1, currency_id: 1, email: `info@${INTERNAL_DOMAIN}`, active: true, ...setupStamp },
  { id: 2, name: 'YourCompany (US)', sequence: 10, partner_id: 5, currency_id: 2, email: 'info@yourcompany.example.us', active: true, ...setupStamp },
];
const teams: NamedRow[] = [
  { id: 1, name: 'Sales', sequence: 10, user_id: 2, company_id: 1, active: true, ...setupStamp },
  { id: 2, name: 'Website', sequence: 20, user_id: false, company_id: 1, active: true, ...setupStamp },
  { id: 3, name: 'Europe', sequence: 30, user_id: false, company_id: 1, active: true, ...setupStamp },
  { id: 4, name: 'Americas', sequence: 40, user_id: false, company_id: 2, active: false, ...setupStamp },
];
const stageNames = ['New', 'Qualified', 'Proposition', 'Negotiation', 'Demo', 'Contract Sent', 'Follow-up'];
const stages: CrmStageRow[] = [];
for (let i = 0; i < stageCount - 1; i++) {
  const name = stageNames[i] ?? `Stage ${i + 1}`;
  stages.push({ id: i + 1, name, sequence: i + 1, is_won: false, fold: false, team_id: false, ...setupStamp });
}
stages.push({ id: stageCount, name: 'Won', sequence: 70, is_won: true, fold: false, team_id: false, ...setupStamp });
const lostReasons: NamedRow[] = [
  { id: 1, name: 'Too expensive', active: true, ...setupStamp },
  { id: 2, name: "We don't have people/skills", active: true, ...setupStamp },
  { id: 3, name: 'Not enough stock', active: true, ...setupStamp },
  { id: 4, name: 'Competitor won', active: false, ...setupStamp },
];
const departments: NamedRow[] = [
  { id: 1, name: 'Administration', company_id: 1, active: true, ...setupStamp },
  { id: 2, name: 'Sales', company_id: 1, active: true, ...setupStamp },
  { id: 3, name: 'Research & Development', company_id: 1, active: true, ...setupStamp },
  { id: 4, name: 'Management', company_id: 1, active: true, ...setupStamp },
  { id: 5, name: 'Professional Services', company_id: 1, active: true, ...setupStamp },
  { id: 6, name: 'Long Term Projects', company_id: 1, active: false, ...setupStamp },
  { id: 7, name: 'Sales (US)', company_id: 2, active: true, ...setupStamp },
];
  return { countries, currencies, companies, teams, stages, lostReasons, departments };
}
