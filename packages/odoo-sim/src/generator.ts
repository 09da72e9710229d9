/**
 * A seeded, deterministic generator of realistic, messy Odoo data: accented names, homonyms,
 * duplicate contacts, users without employees and employees without users, work e-mails in
 * mixed case or on other domains, archived rows, won and lost opportunities, draft, posted
 * and cancelled invoices, and write dates that tie on the same second.
 * @module
 */
import type {
  AccountMoveRow,
  CrmLeadRow,
  CrmStageRow,
  Dataset,
  DatasetCounts,
  HrEmployeeRow,
  NamedRow,
  ResPartnerRow,
  ResUsersRow,
} from './dataset.js';
import {
  asciiFold,
  CITIES,
  COMPANY_NAMES,
  COMPANY_SUFFIXES,
  COUNTRIES,
  DEAL_SUBJECTS,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  slug,
} from './names.js';
import { formatOdooDate, formatOdooDatetime } from './odoo-time.js';
import { SeededRandom } from './prng.js';

/** Options of {@link generateDataset}. */
export interface GenerateDatasetOptions {
  /** Seed of the generator: the same seed and counts always give the same data. Default 1. */
  seed?: number;
  /** How many rows of each kind; missing counts take their defaults. */
  counts?: Partial<DatasetCounts>;
  /** Every generated timestamp is before this moment. Default `2026-01-01T00:00:00Z`. */
  until?: Date;
}

/** The default counts. */
export const DEFAULT_COUNTS: Readonly<Required<DatasetCounts>> = {
  partners: 200,
  companies: 25,
  opportunities: 120,
  invoices: 150,
  employees: 30,
  users: 25,
  stages: 4,
};

const INTERNAL_DOMAIN = 'yourcompany.example.com';
const DAY = 86_400_000;

function resolveCounts(counts: Partial<DatasetCounts> = {}): Required<DatasetCounts> {
  const out = { ...DEFAULT_COUNTS };
  for (const key of Object.keys(counts) as (keyof DatasetCounts)[]) {
    const value = counts[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new TypeError(`generateDataset: counts.${key} must be a non-negative integer, got ${String(value)}.`);
    }
    out[key] = value;
  }
  if (counts.companies === undefined) out.companies = Math.round(out.partners / 8);
  if (out.companies > out.partners) {
    throw new TypeError(`generateDataset: counts.companies (${out.companies}) cannot exceed counts.partners (${out.partners}).`);
  }
  if (out.stages < 2) throw new TypeError(`generateDataset: counts.stages must be at least 2, got ${out.stages}.`);
  return out;
}

/** Hands out create/write stamps before `until`; a share of rows tie on the same second. */
class Stamper {
  #last = 0;
  constructor(
    private readonly random: SeededRandom,
    private readonly untilMs: number,
  ) {}

  next(): { create_date: string; write_date: string } {
    const created = this.untilMs - this.random.int(2, 730 * 86_400) * 1000;
    let written: number;
    if (this.#last > created && this.random.chance(0.2)) written = this.#last;
    else if (this.random.chance(0.15)) written = created;
    else written = created + this.random.int(0, Math.floor((this.untilMs - 1000 - created) / 1000)) * 1000;
    this.#last = written;
    return { create_date: formatOdooDatetime(new Date(created)), write_date: formatOdooDatetime(new Date(written)) };
  }
}

interface Person {
  first: string;
  last: string;
}

function fullName(person: Person): string {
  return `${person.first} ${person.last}`;
}

/**
 * The e-mail an admin typed on a user's contact: mostly the login, sometimes re-cased, on one
 * of the company's other domains, with a `+tag`, or with blanks around it.
 */
function messyUserEmail(random: SeededRandom, email: string | false): string | false {
  if (email === false) return false;
  const roll = random.next();
  if (roll < 0.62) return email;
  if (roll < 0.75) return mixedCase(email.toLowerCase()).replace('@Yourcompany', '@YourCompany');
  if (roll < 0.85) return email.replace(/@.*$/, `@${random.pick(['yourcompany.example.eu', 'mail.yourcompany.example.com', 'YourCompany.example.be'])}`);
  if (roll < 0.93) return email.replace('@', `+${random.pick(['crm', 'odoo'])}@`);
  return ` ${email} `;
}

/** Random capitalisation of the parts of an e-mail address: `Jose.Garcia@YourCompany.example.com`. */
function mixedCase(email: string): string {
  return email.replace(/(^|[.@])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

function phone(random: SeededRandom, prefix: string): string {
  const digits = () => String(random.int(10, 99));
  return `${prefix} ${random.int(100, 999)} ${digits()} ${digits()} ${digits()}`;
}

/**
 * Generates a dataset. Deterministic: the same `seed`, `counts` and `until` give the same rows.
 *
 * Ids per model start at 1. `res.partner` holds, in this order: the partners of the two
 * companies, OdooBot, the admin and the public user, one partner per generated user, then
 * `counts.partners` customers (companies and people interleaved). `res.users` holds OdooBot
 * (id 1, archived), the admin (id 2, login `admin`), the public user (id 3, archived, share)
 * and `counts.users` generated users.
 *
 * @example
 * ```ts
 * const data = generateDataset({ seed: 7, counts: { partners: 1000, users: 40 } });
 * const users = data.models['res.users'].filter((u) => u.active && !u.share);
 * ```
 */
export function generateDataset(options: GenerateDatasetOptions = {}): Dataset {
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new TypeError('generateDataset: seed must be a finite number.');
  const counts = resolveCounts(options.counts);
  const untilDate = options.until ?? new Date('2026-01-01T00:00:00Z');
  const untilMs = Math.floor(untilDate.getTime() / 1000) * 1000;
  if (Number.isNaN(untilMs)) throw new TypeError('generateDataset: until must be a valid Date.');
  const root = new SeededRandom(seed);
  const rUsers = root.fork(1);
  const rEmployees = root.fork(2);
  const rPartners = root.fork(3);
  const rLeads = root.fork(4);
  const rMoves = root.fork(5);
  const rStamps = root.fork(6);
  const rUserMail = root.fork(7);
  const stamper = new Stamper(rStamps, untilMs);
  const base = (uid = 2) => ({ ...stamper.next(), create_uid: uid, write_uid: uid });
  const setupStamp = {
    create_date: formatOdooDatetime(new Date(untilMs - 800 * DAY)),
    write_date: formatOdooDatetime(new Date(untilMs - 800 * DAY)),
    create_uid: 1,
    write_uid: 1,
  };

  // ------------------------------------------------------------ reference data
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
  for (let i = 0; i < counts.stages - 1; i++) {
    const name = stageNames[i] ?? `Stage ${i + 1}`;
    stages.push({ id: i + 1, name, sequence: i + 1, is_won: false, fold: false, team_id: false, ...setupStamp });
  }
  stages.push({ id: counts.stages, name: 'Won', sequence: 70, is_won: true, fold: false, team_id: false, ...setupStamp });
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

  // ------------------------------------------------------------ partners & users
  const partners: ResPartnerRow[] = [];
  type PartnerValues = Partial<ResPartnerRow> & { name: string | false; is_company: boolean };
  type Stamp = { create_date: string; write_date: string; create_uid: number; write_uid: number };
  // One literal with a fixed key order: every row shares a hidden class (fast, compact).
  const addPartner = (v: PartnerValues, stamp: Stamp): number => {
    const id = partners.length + 1;
    partners.push({
      id,
      name: v.name,
      is_company: v.is_company,
      type: v.type ?? 'contact',
      email: v.email ?? false,
      phone: v.phone ?? false,
      mobile: v.mobile ?? false,
      website: v.website ?? false,
      vat: v.vat ?? false,
      ref: v.ref ?? false,
      street: v.street ?? false,
      zip: v.zip ?? false,
      city: v.city ?? false,
      country_id: v.country_id ?? false,
      function: v.function ?? false,
      parent_id: v.parent_id ?? false,
      company_id: v.company_id ?? false,
      user_id: v.user_id ?? false,
      customer_rank: v.customer_rank ?? 0,
      supplier_rank: v.supplier_rank ?? 0,
      active: v.active ?? true,
      create_date: stamp.create_date,
      write_date: stamp.write_date,
      create_uid: stamp.create_uid,
      write_uid: stamp.write_uid,
    });
    return id;
  };
  addPartner({ name: 'YourCompany', is_company: true, email: `info@${INTERNAL_DOMAIN}`, city: 'Bruxelles', country_id: 1, website: 'https://www.yourcompany.example.com' }, setupStamp);
  addPartner({ name: 'OdooBot', is_company: false, email: 'odoobot@example.com', active: false }, setupStamp);
  addPartner({ name: 'Mitchell Admin', is_company: false, email: `admin@${INTERNAL_DOMAIN}`, parent_id: 1, company_id: 1, city: 'Bruxelles', country_id: 1 }, setupStamp);
  addPartner({ name: 'Public user', is_company: false, active: false, company_id: 1 }, setupStamp);
  addPartner({ name: 'YourCompany (US)', is_company: true, email: 'info@yourcompany.example.us', city: 'San Francisco', country_id: 7 }, setupStamp);

  const users: ResUsersRow[] = [
    { id: 1, login: '__system__', name: 'OdooBot', email: 'odoobot@example.com', partner_id: 2, company_id: 1, company_ids: [1, 2], share: false, login_date: false, active: false, ...setupStamp },
    { id: 2, login: 'admin', name: 'Mitchell Admin', email: `admin@${INTERNAL_DOMAIN}`, partner_id: 3, company_id: 1, company_ids: [1, 2], share: false, login_date: formatOdooDatetime(new Date(untilMs - DAY)), active: true, ...setupStamp },
    { id: 3, login: 'public', name: 'Public user', email: false, partner_id: 4, company_id: 1, company_ids: [1], share: true, login_date: false, active: false, ...setupStamp },
  ];
  const userPeople = new Map<number, Person>([[2, { first: 'Mitchell', last: 'Admin' }]]);
  const takenLogins = new Set(users.map((user) => user.login));
  const uniqueLogin = (login: string): string => {
    let candidate = login;
    for (let n = 2; takenLogins.has(candidate); n++) candidate = login.replace(/^([^@]*)/, `$1${n}`);
    takenLogins.add(candidate);
    return candidate;
  };
  // The company's mailboxes: one per person, numbered when a namesake has the plain one — as a
  // mail directory allocates them. Logins and e-mails below are renderings of these.
  const mailboxes = new Set<string>([`admin@${INTERNAL_DOMAIN}`, `info@${INTERNAL_DOMAIN}`]);
  const newMailbox = (localPart: string): string => {
    let candidate = `${localPart}@${INTERNAL_DOMAIN}`;
    for (let n = 2; mailboxes.has(candidate); n++) candidate = `${localPart}${n}@${INTERNAL_DOMAIN}`;
    mailboxes.add(candidate);
    return candidate;
  };
  /** Each user's own mailbox (lower case), whatever Odoo was told. */
  const userMailbox = new Map<number, string>([[2, `admin@${INTERNAL_DOMAIN}`]]);
  for (let i = 0; i < counts.users; i++) {
    const id = users.length + 1;
    const previous = [...userPeople.entries()];
    const namesake = previous.length > 1 && rUsers.chance(0.06) ? rUsers.pick(previous.slice(1)) : undefined; // a homonym of another user
    const person: Person = namesake ? { ...namesake[1] } : { first: rUsers.pick(FIRST_NAMES), last: rUsers.pick(LAST_NAMES) };
    const kind = rUsers.weighted([
      ['internal', 82],
      ['portal', 10],
      ['archived', 8],
    ] as const);
    const localPart = `${slug(person.first)}.${slug(person.last)}`;
    let login: string;
    let email: string | false;
    if (kind === 'portal') {
      login = uniqueLogin(`${localPart}@${slug(rUsers.pick(LAST_NAMES), '-')}.example.${rUsers.pick(COUNTRIES)[3]}`);
      email = login;
    } else {
      const style = rUsers.weighted([
        ['email', 75],
        ['short', 15],
        ['mixed', 10],
      ] as const);
      const mailbox = newMailbox(localPart);
      userMailbox.set(id, mailbox);
      if (style === 'short') {
        login = uniqueLogin(`${slug(person.first).charAt(0)}${slug(person.last, '')}`);
        email = rUsers.chance(0.9) ? mailbox : false;
      } else {
        login = uniqueLogin(style === 'mixed' ? mixedCase(mailbox).replace('@Yourcompany', '@YourCompany') : mailbox);
        email = rUsers.chance(0.95) ? login : false;
      }
      // A mistake that happens: the namesake's address typed on this user's contact.
      const namesakeMailbox = namesake ? userMailbox.get(namesake[0]) : undefined;
      if (email !== false && namesakeMailbox !== undefined && rUserMail.chance(0.2)) email = namesakeMailbox;
      email = messyUserEmail(rUserMail, email);
    }
    const companyId = kind !== 'portal' && rUsers.chance(0.15) ? 2 : 1;
    const stamp = base();
    const partnerId = addPartner(
      { name: fullName(person), is_company: false, email, parent_id: kind === 'portal' ? false : companyId === 2 ? 5 : 1, company_id: companyId, active: kind !== 'archived' },
      stamp,
    );
    users.push({
      id,
      login,
      name: fullName(person),
      email,
      partner_id: partnerId,
      company_id: companyId,
      company_ids: companyId === 2 || rUsers.chance(0.1) ? [1, 2] : [1],
      share: kind === 'portal',
      login_date: rUsers.chance(0.7) ? formatOdooDatetime(new Date(untilMs - rUsers.int(1, 200) * DAY)) : false,
      active: kind !== 'archived',
      ...stamp,
    });
    userPeople.set(id, person);
  }
  const internalUsers = users.filter((user) => !user.share && user.id !== 1);
  const activeSalespeople = internalUsers.filter((user) => user.active);
  const formerSalespeople = internalUsers.filter((user) => !user.active);

  // Customers: companies and people interleaved, people mostly attached to a company.
  const customerSlots: ('company' | 'person')[] = [];
  for (let i = 0; i < counts.companies; i++) customerSlots.push('company');
  for (let i = counts.companies; i < counts.partners; i++) customerSlots.push('person');
  for (let i = customerSlots.length - 1; i > 0; i--) {
    const j = rPartners.int(0, i);
    [customerSlots[i], customerSlots[j]] = [customerSlots[j] as 'company' | 'person', customerSlots[i] as 'company' | 'person'];
  }
  const firstCustomerId = partners.length + 1;
  const companyIds: number[] = [];
  customerSlots.forEach((slot, i) => {
    if (slot === 'company') companyIds.push(firstCustomerId + i);
  });
  interface CompanyInfo {
    name: string;
    domain: string;
    country: (typeof COUNTRIES)[number];
    countryId: number;
  }
  const companyInfo = new Map<number, CompanyInfo>();
  const companyNames: string[] = [];
  const contactsSoFar: ResPartnerRow[] = [];
  let companyIndex = 0;
  const ensureCompanyInfo = (id: number): CompanyInfo => {
    let info = companyInfo.get(id);
    if (!info) {
      let name: string;
      if (companyIndex < COMPANY_NAMES.length) name = COMPANY_NAMES[companyIndex] as string;
      else if (companyNames.length > 0 && rPartners.chance(0.03)) name = rPartners.pick(companyNames); // duplicate company
      else name = `${rPartners.pick(LAST_NAMES)} ${rPartners.pick(COMPANY_SUFFIXES)}`;
      companyIndex++;
      companyNames.push(name);
      const countryIndex = rPartners.int(0, COUNTRIES.length - 1);
      const country = COUNTRIES[countryIndex] as (typeof COUNTRIES)[number];
      info = { name, domain: `${slug(name, '-')}.example.${country[3]}`, country, countryId: countryIndex + 1 };
      companyInfo.set(id, info);
    }
    return info;
  };
  for (const slot of customerSlots) {
    const id = partners.length + 1;
    const stamp = base(rPartners.chance(0.8) ? 2 : rPartners.pick(activeSalespeople.length ? activeSalespeople : users).id);
    const salesperson = rPartners.chance(0.3) && activeSalespeople.length ? rPartners.pick(internalUsers).id : false;
    if (slot === 'company') {
      const info = ensureCompanyInfo(id);
      const [, code, prefix, , vatPrefix, vatDigits] = info.country;
      addPartner(
        {
          name: info.name,
          is_company: true,
          email: rPartners.chance(0.93) ? `${rPartners.pick(['info', 'contact', 'sales', 'hello'])}@${info.domain}` : false,
          phone: rPartners.chance(0.85) ? phone(rPartners, prefix) : false,
          website: rPartners.chance(0.7) ? `https://www.${info.domain}` : false,
          vat: vatDigits > 0 && rPartners.chance(0.7) ? vatPrefix + String(rPartners.int(10 ** (vatDigits - 1), 10 ** vatDigits - 1)) : false,
          ref: rPartners.chance(0.2) ? `C${String(id).padStart(5, '0')}` : false,
          street: rPartners.chance(0.8) ? `${rPartners.int(1, 250)} ${rPartners.pick(['Rue de la Loi', 'Hauptstraße', 'Calle Mayor', 'Main Street', 'Avenida Paulista', 'Keizersgracht'])}` : false,
          zip: rPartners.chance(0.8) ? String(rPartners.int(1000, 99999)) : false,
          city: rPartners.pick(CITIES[code] ?? ['']),
          country_id: info.countryId,
          user_id: salesperson,
          company_id: rPartners.chance(0.1) ? 1 : false,
          customer_rank: rPartners.chance(0.85) ? rPartners.int(1, 40) : 0,
          supplier_rank: rPartners.chance(0.12) ? rPartners.int(1, 5) : 0,
          active: !rPartners.chance(0.04),
        },
        stamp,
      );
      continue;
    }
    // A person: sometimes an exact duplicate of an earlier contact (same name and e-mail).
    if (contactsSoFar.length > 5 && rPartners.chance(0.02)) {
      const original = rPartners.pick(contactsSoFar);
      const { id: _ignored, create_date: _c, write_date: _w, create_uid: _cu, write_uid: _wu, ...copy } = original;
      addPartner({ ...copy, phone: rPartners.chance(0.5) ? copy.phone : false }, stamp);
      continue;
    }
    const person: Person = { first: rPartners.pick(FIRST_NAMES), last: rPartners.pick(LAST_NAMES) };
    const parentId = companyIds.length > 0 && rPartners.chance(0.75) ? rPartners.pick(companyIds) : false;
    const info = parentId !== false ? ensureCompanyInfo(parentId) : undefined;
    const country = info?.country ?? rPartners.pick(COUNTRIES);
    const countryId = info?.countryId ?? COUNTRIES.indexOf(country) + 1;
    const addressType = parentId !== false && rPartners.chance(0.03) ? rPartners.pick(['invoice', 'delivery'] as const) : 'contact';
    let name: string | false = fullName(person);
    const messy = rPartners.next();
    if (messy < 0.03) name = name.toUpperCase();
    else if (messy < 0.06) name = `  ${person.first}  ${person.last} `;
    else if (messy < 0.09) name = asciiFold(name);
    if (addressType !== 'contact' && rPartners.chance(0.6)) name = false;
    const localPart = `${slug(person.first)}.${slug(person.last)}`;
    const emailRoll = rPartners.next();
    let email: string | false;
    if (emailRoll < 0.06) email = false;
    else if (emailRoll < 0.14) email = mixedCase(`${localPart}@${info?.domain ?? 'gmail.example.com'}`);
    else if (emailRoll < 0.2) email = `${localPart}@${rPartners.pick(['gmail.example.com', 'outlook.example.com', 'proton.example.me'])}`;
    else email = `${localPart}@${info?.domain ?? rPartners.pick(['gmail.example.com', 'outlook.example.com', 'web.example.de'])}`;
    const row: PartnerValues = {
      name,
      is_company: false,
      type: addressType,
      email,
      phone: rPartners.chance(0.6) ? phone(rPartners, country[2]) : false,
      mobile: rPartners.chance(0.4) ? phone(rPartners, country[2]) : false,
      function: rPartners.chance(0.6) ? rPartners.pick(JOB_TITLES) : false,
      city: rPartners.pick(CITIES[country[1]] ?? ['']),
      country_id: countryId,
      parent_id: parentId,
      user_id: salesperson,
      customer_rank: rPartners.chance(0.4) ? rPartners.int(1, 10) : 0,
      active: !rPartners.chance(0.04),
    };
    addPartner(row, stamp);
    contactsSoFar.push(partners[partners.length - 1] as ResPartnerRow);
  }
  const customerIds = partners.slice(firstCustomerId - 1).map((partner) => partner.id);
  const activeCustomerIds = partners.slice(firstCustomerId - 1).filter((partner) => partner.active && partner.name !== false).map((partner) => partner.id);

  // ------------------------------------------------------------ employees
  const employees: HrEmployeeRow[] = [];
  const employeeNames: string[] = [];
  const managers: number[] = [];
  const addEmployee = (values: Partial<HrEmployeeRow> & { name: string }): HrEmployeeRow => {
    const id = employees.length + 1;
    const department = rEmployees.pick(departments.filter((d) => d['company_id'] === (values.company_id ?? 1)));
    const row: HrEmployeeRow = {
      id,
      work_email: false,
      work_phone: rEmployees.chance(0.7) ? phone(rEmployees, '+32') : false,
      mobile_phone: rEmployees.chance(0.5) ? phone(rEmployees, '+32') : false,
      job_title: rEmployees.chance(0.85) ? rEmployees.pick(JOB_TITLES) : false,
      user_id: false,
      department_id: rEmployees.chance(0.9) ? department.id : false,
      parent_id: managers.length > 0 && rEmployees.chance(0.8) ? rEmployees.pick(managers) : false,
      company_id: 1,
      private_email: rEmployees.chance(0.6) ? `${slug(values.name)}@gmail.example.com` : false,
      private_phone: rEmployees.chance(0.5) ? phone(rEmployees, '+32') : false,
      birthday: rEmployees.chance(0.8) ? formatOdooDate(new Date(Date.UTC(rEmployees.int(1960, 2003), rEmployees.int(0, 11), rEmployees.int(1, 28)))) : false,
      active: true,
      ...base(),
      ...values,
    };
    employees.push(row);
    employeeNames.push(row.name);
    if (managers.length < 3 && row.company_id === 1) managers.push(id);
    return row;
  };
  const linkable = internalUsers; // admin first, archived users included (their employee may still be active)
  const withoutUser = counts.employees >= 2 ? Math.max(1, Math.round(counts.employees * 0.2)) : 0;
  const linkedCount = Math.min(linkable.length, counts.employees - withoutUser, Math.round(counts.employees * 0.75));
  const linkedUsers = linkable.slice(0, Math.max(0, linkedCount));
  for (const user of linkedUsers) {
    if (employees.length >= counts.employees) break;
    const person = userPeople.get(user.id) ?? { first: user.name, last: '' };
    const nameRoll = rEmployees.next();
    let name = user.name;
    if (user.id !== 2) {
      if (nameRoll < 0.1) name = `${person.last}, ${person.first}`;
      else if (nameRoll < 0.2) name = asciiFold(user.name);
      else if (nameRoll < 0.25) name = user.name.toUpperCase();
      else if (nameRoll < 0.3) name = ` ${person.first}  ${person.last}  `;
      else if (nameRoll < 0.36) name = `${person.first.split(/[ -]/)[0]} ${person.last}`;
    }
    // Odoo 16+: linking a user makes its partner the employee's work contact, and work_email is
    // that partner's e-mail — the user's, exactly as typed.
    addEmployee({ name, work_email: user.email, user_id: user.id, company_id: user.company_id, active: user.active || rEmployees.chance(0.5) });
  }
  // One person employed by both companies: one user, two employees.
  const candidates = linkedUsers.filter((user) => user.id !== 2 && user.active);
  const twoCompanyUser = candidates.find((user) => user.company_ids.length === 2) ?? candidates[0];
  if (twoCompanyUser && employees.length < counts.employees && counts.employees >= 5) {
    const first = employees.find((employee) => employee.user_id === twoCompanyUser.id);
    const otherCompany = (first?.company_id ?? twoCompanyUser.company_id) === 2 ? 1 : 2;
    addEmployee({ name: twoCompanyUser.name, work_email: first?.work_email ?? false, user_id: twoCompanyUser.id, company_id: otherCompany, parent_id: false });
  }
  // Employees without users; some share a name with a user or another employee. An employee
  // named like a user is, half the time, that very person (HR never linked the records: same
  // mailbox), otherwise a namesake with a mailbox of their own.
  const namedUsers = users.filter((user) => user.id > 3);
  const employeeMailbox = new Map<string, string>();
  let forcedHomonym = counts.employees >= 4 && namedUsers.length > 0;
  while (employees.length < counts.employees) {
    let name: string;
    let mailbox: string | undefined;
    let namesakeMailbox: string | undefined;
    if (forcedHomonym || (namedUsers.length > 0 && rEmployees.chance(0.15))) {
      const user = rEmployees.pick(namedUsers);
      name = user.name;
      const own = userMailbox.get(user.id);
      if (own !== undefined && rEmployees.chance(0.5)) mailbox = own;
      else namesakeMailbox = own;
      forcedHomonym = false;
    } else if (employeeNames.length > 0 && rEmployees.chance(0.05)) {
      name = rEmployees.pick(employeeNames);
      namesakeMailbox = employeeMailbox.get(name);
    } else name = fullName({ first: rEmployees.pick(FIRST_NAMES), last: rEmployees.pick(LAST_NAMES) });
    // A mistake that happens: the namesake's address typed on the employee.
    if (mailbox === undefined && namesakeMailbox !== undefined && rEmployees.chance(0.2)) mailbox = namesakeMailbox;
    mailbox ??= newMailbox(slug(name));
    if (!employeeMailbox.has(name)) employeeMailbox.set(name, mailbox);
    const emailRoll = rEmployees.next();
    const workEmail =
      emailRoll < 0.15
        ? false
        : emailRoll < 0.3
          ? mixedCase(mailbox).replace('@Yourcompany', '@YourCompany')
          : emailRoll < 0.4
            ? mailbox.replace(/@.*$/, `@${rEmployees.pick(['yourcompany.example.eu', 'contractor.example.org'])}`)
            : mailbox;
    addEmployee({ name, work_email: workEmail, company_id: rEmployees.chance(0.1) ? 2 : 1, active: !rEmployees.chance(0.06) });
  }
  // A manager of the other company must belong to it: drop cross-company managers.
  for (let i = 0; i < employees.length; i++) {
    const employee = employees[i] as HrEmployeeRow;
    const manager = employee.parent_id === false ? undefined : employees[employee.parent_id - 1];
    if (manager && (manager.company_id !== employee.company_id || manager.id === employee.id)) employees[i] = { ...employee, parent_id: false };
  }

  // ------------------------------------------------------------ opportunities
  const leads: CrmLeadRow[] = [];
  const wonStage = stages[stages.length - 1] as CrmStageRow;
  const openStages = stages.slice(0, -1);
  for (let i = 0; i < counts.opportunities; i++) {
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

  // ------------------------------------------------------------ invoices
  const moves: AccountMoveRow[] = [];
  const sequences = new Map<string, number>();
  const invoicePartners = companyIds.length > 0 ? companyIds : customerIds;
  for (let i = 0; i < counts.invoices; i++) {
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

  return {
    seed,
    counts,
    until: formatOdooDatetime(new Date(untilMs)),
    models: {
      'res.company': companies,
      'res.country': countries,
      'res.currency': currencies,
      'res.partner': partners,
      'res.users': users,
      'crm.team': teams,
      'crm.stage': stages,
      'crm.lost.reason': lostReasons,
      'crm.lead': leads,
      'account.move': moves,
      'hr.department': departments,
      'hr.employee': employees,
    },
  };
}
