/**
 * A seeded, deterministic generator of realistic, messy Odoo data: accented names, homonyms,
 * duplicate contacts, users without employees and employees without users, work e-mails in
 * mixed case or on other domains, archived rows, won and lost opportunities, draft, posted
 * and cancelled invoices, and write dates that tie on the same second.
 * @module
 */
import type { Dataset, DatasetCounts, HrEmployeeRow, ResPartnerRow, ResUsersRow } from './dataset.js';
import { generateInvoices, generateLeads } from './generator-deals.js';
import { generateMail } from './generator-mail.js';
import { referenceData } from './generator-reference.js';
import {
  DAY,
  fullName,
  INTERNAL_DOMAIN,
  messyUserEmail,
  mixedCase,
  type Person,
  phone,
  resolveCounts,
  type Stamp,
  Stamper,
} from './generator-support.js';
import { asciiFold, CITIES, COMPANY_NAMES, COMPANY_SUFFIXES, COUNTRIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, slug } from './names.js';
import { formatOdooDate, formatOdooDatetime } from './odoo-time.js';
import { SeededRandom } from './prng.js';
import { generateProducts } from './products.js';
import { MODELS } from './schema.js';

/** Options of {@link generateDataset}. */
export interface GenerateDatasetOptions {
  /** Seed of the generator: the same seed and counts always give the same data. Default 1. */
  seed?: number;
  /** How many rows of each kind; missing counts take their defaults. */
  counts?: Partial<DatasetCounts>;
  /** Every generated timestamp is before this moment. Default `2026-01-01T00:00:00Z`. */
  until?: Date;
}

export { DEFAULT_COUNTS } from './generator-support.js';


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
  const rProducts = root.fork(8);
  const rMail = root.fork(9);
  const stamper = new Stamper(rStamps, untilMs);
  const base = (uid = 2) => ({ ...stamper.next(), create_uid: uid, write_uid: uid });
  const setupStamp = {
    create_date: formatOdooDatetime(new Date(untilMs - 800 * DAY)),
    write_date: formatOdooDatetime(new Date(untilMs - 800 * DAY)),
    create_uid: 1,
    write_uid: 1,
  };

  const { countries, currencies, companies, teams, stages, lostReasons, departments } = referenceData(counts.stages, setupStamp);


  // ------------------------------------------------------------ partners & users
  const partners: ResPartnerRow[] = [];
  type PartnerValues = Partial<ResPartnerRow> & { name: string | false; is_company: boolean };
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

  const leads = generateLeads({
    count: counts.opportunities,
    random: rLeads,
    base,
    untilMs,
    stages,
    partners,
    activeCustomerIds,
    internalUsers,
    activeSalespeople,
    formerSalespeople,
  });
  const moves = generateInvoices({ count: counts.invoices, random: rMoves, base, companyIds, customerIds, internalUsers });

  const catalogue = generateProducts(rProducts, counts.products, untilMs);
  const mail = generateMail({
    random: rMail,
    untilMs,
    activities: counts.activities,
    messages: counts.messages,
    models: [...MODELS.values()].map((def) => [def.name, def.description] as const),
    partners,
    users,
    leads,
    customerIds,
    setupStamp,
  });

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
      'product.category': catalogue.categories,
      'product.template': catalogue.products,
      'ir.model': mail.models,
      'mail.activity.type': mail.activityTypes,
      'mail.message.subtype': mail.subtypes,
      'mail.activity': mail.activities,
      'mail.message': mail.messages,
    },
  };
}
