/**
 * The Odoo directory indexed for matching: addresses made canonical (domain aliases), names
 * keyed, employees grouped by user, and the people suggestions are drawn from.
 * @module
 */
import { emailDomain, type NameOrder, nameKey, nameOrdersOf, normalizeEmail, normalizeName } from './text.js';
import type {
  DirectoryEmployee,
  DirectoryHit,
  DirectoryUser,
  Identity,
  OdooDirectory,
  PersonToMatch,
  PreparedDirectory,
  PrepareOptions,
} from './types.js';

/** The person's canonical addresses, their e-mail first, each once. */
export function personAddresses(directory: Pick<PreparedDirectory, 'domainAliases'>, person: PersonToMatch): string[] {
  const all = [person.email, ...(person.otherEmails ?? [])].map((value) => canonicalEmail(directory, value));
  return [...new Set(all.filter((email): email is string => email !== null))];
}

/** An employee number as matching compares it: trimmed, `null` when empty or not a string. */
export function employeeNumberKey(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function isActive(record: { active?: boolean }): boolean {
  return record.active !== false;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}


function validatePrepareOptions(options: PrepareOptions): Map<string, string> {
  const archived = options.archived;
  if (archived !== undefined && archived !== 'suggest' && archived !== 'fallback') {
    throw new TypeError(`Expected options.archived to be 'suggest' or 'fallback', got ${JSON.stringify(archived)}.`);
  }
  const aliases = new Map<string, string>();
  const given = options.domainAliases ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new TypeError('Expected options.domainAliases to be an object mapping an alias domain to its canonical domain.');
  }
  for (const [alias, canonical] of Object.entries(given)) {
    const from = normalizeEmail(`x@${alias}`);
    const to = typeof canonical === 'string' ? normalizeEmail(`x@${canonical}`) : null;
    if (from === null || to === null) {
      throw new TypeError(`Expected options.domainAliases to map domains to domains, got ${JSON.stringify(alias)} → ${JSON.stringify(canonical)}.`);
    }
    aliases.set(from.slice(2), to.slice(2));
  }
  for (const [from, to] of aliases) {
    if (from === to) throw new TypeError(`Expected options.domainAliases to map a domain to another domain, got ${from} → ${to}.`);
    if (aliases.has(to)) {
      throw new TypeError(
        `Expected options.domainAliases to map each alias to its final domain, got ${from} → ${to}, but ${to} is itself an alias (aliases are not followed): map ${from} to ${aliases.get(to) ?? ''}.`,
      );
    }
  }
  return aliases;
}

/**
 * The address matching compares: {@link normalizeEmail}, then the domain replaced by its
 * canonical domain when it is one of the directory's `domainAliases`.
 */
export function canonicalEmail(directory: Pick<PreparedDirectory, 'domainAliases'>, value: string | null | undefined): string | null {
  const email = normalizeEmail(value);
  const domain = emailDomain(email);
  if (email === null || domain === null) return email;
  const canonical = directory.domainAliases.get(domain);
  return canonical === undefined ? email : `${email.slice(0, email.length - domain.length)}${canonical}`;
}

/**
 * Indexes a directory for matching: e-mails and names normalised once, employees grouped by
 * user, salespersons deduplicated. Pure; the input is not modified. Throws a `TypeError` for
 * invalid options.
 */
export function prepareDirectory(directory: OdooDirectory, options: PrepareOptions = {}): PreparedDirectory {
  const domainAliases = validatePrepareOptions(options);
  const archived = options.archived ?? 'suggest';
  const canonical = (value: string | null | undefined): string | null => canonicalEmail({ domainAliases }, value);
  const usersById = new Map<number, DirectoryUser>();
  const employeesById = new Map<number, DirectoryEmployee>();
  const employeesByUserId = new Map<number, DirectoryEmployee[]>();
  const salespersonNames = new Map<number, string[]>();
  const byEmail = new Map<string, DirectoryHit[]>();
  const byNameKey = new Map<string, DirectoryHit[]>();
  const byEmployeeNumber = new Map<string, DirectoryHit[]>();

  for (const user of directory.users) {
    usersById.set(user.odooId, user);
    const active = isActive(user);
    const login = canonical(user.login);
    const email = canonical(user.email);
    if (login !== null && user.login !== null) {
      push(byEmail, login, { source: 'user', odooId: user.odooId, field: 'login', value: user.login, active });
    }
    if (email !== null && user.email !== null && email !== login) {
      push(byEmail, email, { source: 'user', odooId: user.odooId, field: 'email', value: user.email, active });
    }
    const key = nameKey(user.name);
    if (key !== null && user.name !== null) {
      push(byNameKey, key, { source: 'user', odooId: user.odooId, field: 'name', value: user.name, active });
    }
  }
  for (const employee of directory.employees) {
    employeesById.set(employee.odooId, employee);
    if (employee.userId !== null) push(employeesByUserId, employee.userId.id, employee);
    const active = isActive(employee);
    const email = canonical(employee.workEmail);
    if (email !== null && employee.workEmail !== null) {
      push(byEmail, email, { source: 'employee', odooId: employee.odooId, field: 'work_email', value: employee.workEmail, active });
    }
    const key = nameKey(employee.name);
    if (key !== null && employee.name !== null) {
      push(byNameKey, key, { source: 'employee', odooId: employee.odooId, field: 'name', value: employee.name, active });
    }
    const number = employeeNumberKey(employee.employeeNumber);
    if (number !== null) {
      push(byEmployeeNumber, number, { source: 'employee', odooId: employee.odooId, field: 'employee_number', value: number, active });
    }
  }
  for (const salesperson of directory.salespersons) {
    const names = salespersonNames.get(salesperson.odooId) ?? [];
    if (names.includes(salesperson.name)) continue;
    names.push(salesperson.name);
    salespersonNames.set(salesperson.odooId, names);
    const key = nameKey(salesperson.name);
    const user = usersById.get(salesperson.odooId);
    const active = user === undefined ? true : isActive(user);
    if (key !== null) {
      push(byNameKey, key, { source: 'salesperson', odooId: salesperson.odooId, field: 'name', value: salesperson.name, active });
    }
  }

  const partial: Omit<PreparedDirectory, 'identities'> = {
    prepared: true,
    archived,
    domainAliases,
    organisationDomains: new Set([...byEmail.keys()].map((email) => emailDomain(email) ?? '')),
    addressNameOrders: learnAddressNameOrders(directory, canonical),
    users: directory.users,
    employees: directory.employees,
    usersById,
    employeesById,
    employeesByUserId,
    salespersonNames,
    byEmail,
    byNameKey,
    byEmployeeNumber,
  };
  return { ...partial, identities: buildIdentities(partial) };
}

/** See {@link PreparedDirectory.addressNameOrders}. */
function learnAddressNameOrders(directory: OdooDirectory, canonical: (value: string | null | undefined) => string | null): Set<NameOrder> {
  const counts: Record<NameOrder, number> = { 'first-last': 0, 'last-first': 0 };
  const count = (email: string | null | undefined, name: string | null): void => {
    const orders = nameOrdersOf(canonical(email), name);
    if (orders.size !== 1) return;
    for (const order of orders) counts[order] += 1;
  };
  for (const user of directory.users) {
    const login = canonical(user.login);
    count(login, user.name);
    if (canonical(user.email) !== login) count(user.email, user.name);
  }
  for (const employee of directory.employees) count(employee.workEmail, employee.name);
  const total = counts['first-last'] + counts['last-first'];
  if (total === 0) return new Set(['first-last']);
  return new Set((['first-last', 'last-first'] as const).filter((order) => counts[order] >= total * 0.1));
}

/** Whether `directory` was already indexed by {@link prepareDirectory}. */
export function isPrepared(directory: OdooDirectory | PreparedDirectory): directory is PreparedDirectory {
  return (directory as Partial<PreparedDirectory>).prepared === true;
}

/**
 * The one employee of an Odoo user (`employee.userId.id === odooUserId`), preferring active
 * employees; `null` when there is none or several (a user with one employee per company).
 */
export function employeeOfUser(directory: PreparedDirectory, odooUserId: number): DirectoryEmployee | null {
  const all = directory.employeesByUserId.get(odooUserId) ?? [];
  const active = all.filter(isActive);
  const pool = active.length > 0 ? active : directory.archived === 'fallback' ? all : [];
  return pool.length === 1 ? (pool[0] ?? null) : null;
}

/** The canonical mailboxes Odoo knows for a user and/or employee, each once. */
export function knownEmails(
  directory: Pick<PreparedDirectory, 'domainAliases'>,
  user: DirectoryUser | undefined,
  employee: DirectoryEmployee | undefined,
): string[] {
  const canonical = (value: string | null | undefined): string | null => canonicalEmail(directory, value);
  const emails = [canonical(user?.login), canonical(user?.email), canonical(employee?.workEmail)];
  return [...new Set(emails.filter((email): email is string => email !== null))];
}

/** The address to show for a user and/or employee: the first that is one, as Odoo spells it. */
function displayEmail(user: DirectoryUser | undefined, employee: DirectoryEmployee | undefined): string | null {
  const candidates = [user?.email, user?.login, employee?.workEmail];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && normalizeEmail(candidate) !== null) return candidate.trim();
  }
  return null;
}

/** The Odoo person made of a user and/or an employee, as suggestions show and score it. */
export function identityOf(
  directory: Omit<PreparedDirectory, 'identities'>,
  odooUserId: number | null,
  employeeId: number | null,
): Identity {
  const user = odooUserId === null ? undefined : directory.usersById.get(odooUserId);
  const employee = employeeId === null ? undefined : directory.employeesById.get(employeeId);
  const salesNames = odooUserId === null ? [] : (directory.salespersonNames.get(odooUserId) ?? []);
  const rawNames = [user?.name, employee?.name, ...salesNames].filter(
    (name): name is string => typeof name === 'string' && normalizeName(name) !== null,
  );
  const name =
    rawNames[0]?.trim() ??
    user?.login ??
    (odooUserId !== null ? `Odoo user #${odooUserId}` : `Odoo employee #${employeeId ?? 0}`);
  return {
    odooUserId,
    employeeId,
    name,
    email: displayEmail(user, employee),
    emails: knownEmails(directory, user, employee),
    names: [...new Set(rawNames.map((raw) => nameKey(raw) ?? ''))].map((key) => key.split(' ')),
    active: (user === undefined || isActive(user)) && (employee === undefined || isActive(employee)),
  };
}

function buildIdentities(directory: Omit<PreparedDirectory, 'identities'>): Identity[] {
  const identities: Identity[] = [];
  const coveredEmployees = new Set<number>();
  const coveredUsers = new Set<number>();
  for (const user of directory.users) {
    const employee = employeeOfUser(directory as PreparedDirectory, user.odooId);
    if (employee) coveredEmployees.add(employee.odooId);
    coveredUsers.add(user.odooId);
    identities.push(identityOf(directory, user.odooId, employee?.odooId ?? null));
  }
  for (const employee of directory.employees) {
    if (coveredEmployees.has(employee.odooId)) continue;
    if (employee.userId !== null) coveredUsers.add(employee.userId.id);
    identities.push(identityOf(directory, employee.userId?.id ?? null, employee.odooId));
  }
  for (const odooUserId of directory.salespersonNames.keys()) {
    if (coveredUsers.has(odooUserId)) continue;
    identities.push(identityOf(directory, odooUserId, null));
  }
  return identities;
}
