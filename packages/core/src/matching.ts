/**
 * Linking a signed-in person to their Odoo identity (`res.users` and/or `hr.employee`). Pure:
 * no I/O, no clock. {@link matchOdooIdentity} tries {@link IdentityStrategy strategies} in
 * order — {@link matchByEmail}, {@link matchByName}, {@link matchBySalesperson} by default —
 * and stops at the first that finds someone. It never guesses: when two different people fit
 * equally, or the records it found disagree, the answer is `ambiguous` with ranked
 * suggestions for an admin.
 *
 * @example
 * ```ts
 * const result = matchOdooIdentity(
 *   { email: 'Ana.Souza+crm@example.com', name: 'Ana Souza' },
 *   { users, employees, salespersons },
 * );
 * if (result.status === 'matched') link(result.odooUserId, result.employeeId, result.strategy);
 * else reply(describeMatchFailure(result, person), result.suggestions);
 * ```
 * @module
 */
import type { Many2One } from './odoo-values.js';
import type { LinkStrategy } from './ports.js';
import {
  emailDomain,
  emailSimilarity,
  localPartSpellsName,
  localPartTokens,
  type NameOrder,
  nameOrdersOf,
  nameKey,
  nameSimilarity,
  nameTokens,
  normalizeEmail,
  normalizeName,
} from './matching-text.js';

export {
  emailDomain,
  emailLocalPart,
  emailSimilarity,
  jaroWinkler,
  localPartSpellsName,
  localPartTokens,
  nameKey,
  type NameOrder,
  nameOrdersOf,
  nameSimilarity,
  nameTokens,
  normalizeEmail,
  normalizeName,
} from './matching-text.js';

/** The person to link: what the sign-in provider says about them. */
export interface PersonToMatch {
  /** Their e-mail address, as the sign-in provider gives it. */
  email: string | null;
  /** Their display name. */
  name: string | null;
  /**
   * Other addresses of the same person that the sign-in provider vouches for: their sign-in
   * name when it is not their e-mail (Microsoft 365's UPN next to the `email` claim), their
   * mailbox's aliases. Never addresses a person merely typed in (a personal e-mail): any of
   * these that Odoo knows links them.
   */
  otherEmails?: readonly (string | null)[];
}

/** No alias domains: {@link personAddresses} then gives the addresses as the person typed them, normalised. */
const AS_TYPED: Pick<PreparedDirectory, 'domainAliases'> = { domainAliases: new Map() };

/** The person's canonical addresses, their e-mail first, each once. */
export function personAddresses(directory: Pick<PreparedDirectory, 'domainAliases'>, person: PersonToMatch): string[] {
  const all = [person.email, ...(person.otherEmails ?? [])].map((value) => canonicalEmail(directory, value));
  return [...new Set(all.filter((email): email is string => email !== null))];
}

/**
 * An Odoo user as matching needs it. A normalised `odoo_user` record ({@link OdooUser})
 * fits; add `active: false` for a user archived in Odoo (a stored record's `isActive`).
 */
export interface DirectoryUser {
  /** `res.users` id. */
  odooId: number;
  /** Display name. */
  name: string | null;
  /** Login, usually an e-mail address. */
  login: string | null;
  /** E-mail address. */
  email: string | null;
  /**
   * Whether the user is active in Odoo.
   * @default true
   */
  active?: boolean;
}

/**
 * An Odoo employee as matching needs it. A normalised `employee` record ({@link Employee})
 * fits; add `active: false` for an archived employee.
 */
export interface DirectoryEmployee {
  /** `hr.employee` id. */
  odooId: number;
  /** Name. */
  name: string | null;
  /** Work e-mail. */
  workEmail: string | null;
  /** The Odoo user this employee is linked to in Odoo (`user_id`), or `null`. */
  userId: Many2One | null;
  /**
   * Whether the employee is active in Odoo.
   * @default true
   */
  active?: boolean;
}

/** A salesperson seen on synced opportunities: the opportunity's `userId`. Duplicates are fine. */
export interface DirectorySalesperson {
  /** `res.users` id of the salesperson. */
  odooId: number;
  /** Their name as the opportunity shows it. */
  name: string;
}

/** Everything matching looks at: synced Odoo users, employees, and opportunity salespersons. */
export interface OdooDirectory {
  /** Synced `odoo_user` records. */
  users: readonly DirectoryUser[];
  /** Synced `employee` records. */
  employees: readonly DirectoryEmployee[];
  /** Salespersons of synced opportunities (`opportunity.userId`). */
  salespersons: readonly DirectorySalesperson[];
}

/**
 * What to do with archived Odoo records. Active records always come first: when one fits,
 * archived ones are left out (a person signing in today is far likelier to be the active one).
 * When only archived records fit: `'suggest'` links nobody and answers `ambiguous`
 * (`archived_only`) with them as suggestions — people who left have their address reused and
 * their name shared; `'fallback'` links to them (flagged `evidence.archived`).
 */
export type ArchivedPolicy = 'suggest' | 'fallback';

/** Where a directory hit came from. */
export type HitSource = 'user' | 'employee' | 'salesperson';

/** One directory record that fits what a strategy looked for: the evidence of a match. */
export interface DirectoryHit {
  /** Which list it is in. */
  source: HitSource;
  /** Its Odoo id (`res.users` id for users and salespersons, `hr.employee` id for employees). */
  odooId: number;
  /** Odoo field that fitted: `login`, `email`, `work_email` or `name`. */
  field: 'login' | 'email' | 'work_email' | 'name';
  /** The value of that field as Odoo has it. */
  value: string;
  /** Whether the record is active (salespersons count as active unless their user is archived). */
  active: boolean;
}

/** A person in Odoo as a suggestion shows it, with how close it is to the person. */
export interface MatchSuggestion {
  /** `res.users` id, when the suggestion has a user. */
  odooUserId?: number;
  /** `hr.employee` id, when the suggestion has an employee. */
  employeeId?: number;
  /** Name to show. */
  name: string;
  /** E-mail to show, or `null`. */
  email: string | null;
  /** Similarity to the person, 0–1 (1: fits the strategy exactly). */
  score: number;
}

/** What a match rests on. */
export interface MatchEvidence {
  /** What of the person fitted. */
  matchedOn: 'email' | 'name';
  /** The person's value after normalisation (normalised e-mail or {@link nameKey}). */
  value: string;
  /** The records that fitted. */
  records: DirectoryHit[];
  /** True when only archived records fitted (only with the `'fallback'` {@link ArchivedPolicy}). */
  archived: boolean;
  /**
   * Ids not found directly but completed from Odoo's own link: `employeeId` from the matched
   * user's one employee, `odooUserId` from the matched employee's `user_id`.
   */
  filledIn: ('odooUserId' | 'employeeId')[];
}

/**
 * Why nobody was linked:
 * - `no_input`: the person has neither e-mail nor name;
 * - `no_match`: no strategy found anyone;
 * - `several_candidates`: two or more different people fit equally (homonyms, a shared mailbox);
 * - `records_disagree`: an employee found through its `user_id` and a user found directly differ;
 * - `unlinked_records`: a user and an employee fit by name but are not linked in Odoo, so they may be two people;
 * - `email_conflict`: someone fits by name but Odoo knows a mailbox for them that is not the person's;
 * - `archived_only`: only records archived in Odoo fit (see {@link ArchivedPolicy});
 * - `unverified_name`: someone fits by name, Odoo knows no mailbox for them, and the person's
 *   address does not vouch for the name (outside the organisation's domains, or not spelling the
 *   name — e.g. `ana.souza2@…`, which says there is another Ana Souza).
 */
export type MatchFailureCode =
  | 'no_input'
  | 'no_match'
  | 'several_candidates'
  | 'records_disagree'
  | 'unlinked_records'
  | 'email_conflict'
  | 'archived_only'
  | 'unverified_name';

/** A strategy found exactly one identity. */
export interface StrategyMatched<S extends string = string> {
  /** Strategy name. */
  strategy: S;
  /** Found. */
  status: 'matched';
  /** `res.users` id, or `null` (an employee without user). */
  odooUserId: number | null;
  /** `hr.employee` id, or `null` (a user without, or with several, employees). */
  employeeId: number | null;
  /** What the match rests on. */
  evidence: MatchEvidence;
}

/** A strategy found candidates but cannot choose. Later strategies are not tried. */
export interface StrategyAmbiguous<S extends string = string> {
  /** Strategy name. */
  strategy: S;
  /** Candidates that cannot be told apart. */
  status: 'ambiguous';
  /** Why, as a code. */
  code: Exclude<MatchFailureCode, 'no_input' | 'no_match'>;
  /** Why, in one plain sentence. */
  reason: string;
  /** The candidates (score 1 when they fit exactly). */
  candidates: MatchSuggestion[];
}

/** A strategy found nobody; the next one is tried. */
export interface StrategyNotFound<S extends string = string> {
  /** Strategy name. */
  strategy: S;
  /** Nobody. */
  status: 'not_found';
  /** True when the person lacks what the strategy needs (e.g. no e-mail); it is then not listed in `tried`. */
  skipped: boolean;
  /** Why, in one plain sentence. */
  reason: string;
}

/** What one strategy says. */
export type StrategyOutcome<S extends string = string> = StrategyMatched<S> | StrategyAmbiguous<S> | StrategyNotFound<S>;

/**
 * One way to find a person in the directory. Every strategy has this signature; write your
 * own with lookups over the {@link PreparedDirectory} (`byEmail`, `byNameKey`, …) and let
 * {@link resolveHits} apply the rules (prefer active, agreement, homonyms).
 *
 * A strategy MUST be pure, MUST return `ambiguous` rather than pick one of several people,
 * and MUST return the same `strategy` name every time.
 *
 * @example
 * ```ts
 * const matchByLogin: IdentityStrategy<'login'> = (person, directory) => {
 *   const login = person.email?.split('@')[0]?.toLowerCase() ?? null;
 *   if (login === null) return { strategy: 'login', status: 'not_found', skipped: true, reason: 'No e-mail.' };
 *   const hits = directory.users
 *     .filter((user) => user.login?.toLowerCase() === login)
 *     .map((user) => ({ source: 'user' as const, odooId: user.odooId, field: 'login' as const, value: user.login ?? '', active: user.active !== false }));
 *   return resolveHits('login', person, directory, hits, { matchedOn: 'email', value: login, pairUnlinked: false, verifyMailbox: true });
 * };
 * matchOdooIdentity(person, directory, { strategies: [matchByEmail, matchByLogin, matchByName] });
 * ```
 */
export type IdentityStrategy<S extends string = string> = (
  person: PersonToMatch,
  directory: PreparedDirectory,
) => StrategyOutcome<S>;

/** Names of the built-in strategies (the {@link LinkStrategy} values other than `manual`). */
export type BuiltInStrategyName = Exclude<LinkStrategy, 'manual'>;

/** The person was linked. */
export interface IdentityMatched<S extends string = BuiltInStrategyName> {
  /** Linked. */
  status: 'matched';
  /** `res.users` id, or `null` for an employee without user. */
  odooUserId: number | null;
  /** `hr.employee` id, or `null` for a user without (or with several) employees. */
  employeeId: number | null;
  /** The strategy that found them. */
  strategy: S;
  /** What the link rests on. */
  evidence: MatchEvidence;
}

/** The person was not linked. */
export interface IdentityNotMatched<S extends string = BuiltInStrategyName> {
  /** `ambiguous`: candidates exist but none can be chosen safely; `not_found`: nobody fits. */
  status: 'ambiguous' | 'not_found';
  /** Why, as a code. */
  code: MatchFailureCode;
  /** Why, in plain words. */
  reason: string;
  /** The strategy that found the ambiguity; `null` when not found. */
  strategy: S | null;
  /** Strategies that looked, in order (those skipped for lack of input are left out). */
  tried: S[];
  /** Closest Odoo people, best first, at most `maxSuggestions`. */
  suggestions: MatchSuggestion[];
}

/** Result of {@link matchOdooIdentity}. */
export type IdentityMatchResult<S extends string = BuiltInStrategyName> = IdentityMatched<S> | IdentityNotMatched<S>;

/** Options of {@link matchOdooIdentity}. */
export interface MatchOptions<S extends string = BuiltInStrategyName> {
  /**
   * Strategies, tried in order; the first `matched` or `ambiguous` answer wins.
   * @default DEFAULT_STRATEGIES ([matchByEmail, matchByName, matchBySalesperson])
   */
  strategies?: readonly IdentityStrategy<S>[];
  /**
   * Most suggestions returned, 0–5.
   * @default 5
   */
  maxSuggestions?: number;
  /**
   * Least similarity (0–1) for a suggestion.
   * @default 0.8
   */
  minSuggestionScore?: number;
  /**
   * Archived records: see {@link ArchivedPolicy}. Used when `directory` is not prepared yet.
   * @default 'suggest'
   */
  archived?: ArchivedPolicy;
  /**
   * Alias domains: see {@link PrepareOptions.domainAliases}. Used when `directory` is not prepared yet.
   * @default {}
   */
  domainAliases?: Readonly<Record<string, string>>;
}

/** Rules {@link resolveHits} applies. */
export interface ResolveRules {
  /** What of the person was looked up. */
  matchedOn: 'email' | 'name';
  /** The person's normalised value that was looked up. */
  value: string;
  /**
   * Whether a user without employee and an employee without user that both fit may be taken
   * as one person. True for e-mail (they share a mailbox), false for names (they may be homonyms).
   */
  pairUnlinked: boolean;
  /**
   * Whether the person's mailbox must agree with the identity's, for evidence that cannot tell
   * namesakes apart (names). When true and the person has an e-mail: an identity with Odoo
   * mailboxes none of which is the person's → `email_conflict`; an identity without any →
   * accepted only if the person's address is in an organisation domain and spells the
   * identity's Odoo name in one of the organisation's orders
   * ({@link PreparedDirectory.addressNameOrders}, {@link localPartSpellsName}), else
   * `unverified_name`.
   */
  verifyMailbox: boolean;
  /** Only conclude when a hit comes from one of these sources; otherwise `not_found`. Default: any. */
  requireSource?: readonly HitSource[];
}

/** A person in Odoo as suggestions see them: a user with its employee, or an employee alone. */
interface Identity {
  odooUserId: number | null;
  employeeId: number | null;
  name: string;
  email: string | null;
  emails: string[];
  names: string[][];
  active: boolean;
}

/**
 * The directory indexed for matching. Build it once with {@link prepareDirectory} when
 * matching many people against the same data.
 */
export interface PreparedDirectory {
  /** Marks a prepared directory. */
  readonly prepared: true;
  /** Archived-record policy. */
  readonly archived: ArchivedPolicy;
  /** Users, as given. */
  readonly users: readonly DirectoryUser[];
  /** Employees, as given. */
  readonly employees: readonly DirectoryEmployee[];
  /** Users by id. */
  readonly usersById: ReadonlyMap<number, DirectoryUser>;
  /** Employees by id. */
  readonly employeesById: ReadonlyMap<number, DirectoryEmployee>;
  /** Employees by the id of their Odoo user. */
  readonly employeesByUserId: ReadonlyMap<number, readonly DirectoryEmployee[]>;
  /** Distinct salesperson names by user id. */
  readonly salespersonNames: ReadonlyMap<number, readonly string[]>;
  /** Alias domain → canonical domain (see {@link PrepareOptions.domainAliases}). */
  readonly domainAliases: ReadonlyMap<string, string>;
  /** Canonical domains of every mailbox in the directory: the organisation's domains. */
  readonly organisationDomains: ReadonlySet<string>;
  /**
   * The orders in which the organisation's addresses spell names, learned from the mailboxes
   * the directory knows: an order counts when at least 10% of the addresses that spell their
   * owner's name in one order only use it (`ana.souza` for *Ana Souza*: `first-last`;
   * `souza.ana`: `last-first`). `first-last` alone when no address tells.
   */
  readonly addressNameOrders: ReadonlySet<NameOrder>;
  /** Hits by canonical e-mail (user login and e-mail, employee work e-mail). */
  readonly byEmail: ReadonlyMap<string, readonly DirectoryHit[]>;
  /** Hits by {@link nameKey} (user, employee and salesperson names). */
  readonly byNameKey: ReadonlyMap<string, readonly DirectoryHit[]>;
  /** @internal People for suggestions. */
  readonly identities: readonly Identity[];
}

const MAX_SUGGESTIONS = 5;

function isActive(record: { active?: boolean }): boolean {
  return record.active !== false;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Options of {@link prepareDirectory}. */
export interface PrepareOptions {
  /**
   * Archived records: see {@link ArchivedPolicy}.
   * @default 'suggest'
   */
  archived?: ArchivedPolicy;
  /**
   * Domains that are the same mailboxes under another name, alias → canonical (e.g. after a
   * rebrand, or a country domain: `{ 'yourcompany.example.eu': 'yourcompany.example.com' }`).
   * `ana@yourcompany.example.eu` then matches `ana@yourcompany.example.com`. Only list domains
   * whose mailboxes really are shared: this is what makes two addresses one person.
   * @default {}
   */
  domainAliases?: Readonly<Record<string, string>>;
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

function isPrepared(directory: OdooDirectory | PreparedDirectory): directory is PreparedDirectory {
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

function knownEmails(
  directory: Pick<PreparedDirectory, 'domainAliases'>,
  user: DirectoryUser | undefined,
  employee: DirectoryEmployee | undefined,
): string[] {
  const canonical = (value: string | null | undefined): string | null => canonicalEmail(directory, value);
  const emails = [canonical(user?.login), canonical(user?.email), canonical(employee?.workEmail)];
  return [...new Set(emails.filter((email): email is string => email !== null))];
}

function displayEmail(user: DirectoryUser | undefined, employee: DirectoryEmployee | undefined): string | null {
  const candidates = [user?.email, user?.login, employee?.workEmail];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && normalizeEmail(candidate) !== null) return candidate.trim();
  }
  return null;
}

function identityOf(
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

function toSuggestion(identity: Identity, score: number): MatchSuggestion {
  const suggestion: MatchSuggestion = { name: identity.name, email: identity.email, score: Math.round(score * 1000) / 1000 };
  if (identity.odooUserId !== null) suggestion.odooUserId = identity.odooUserId;
  if (identity.employeeId !== null) suggestion.employeeId = identity.employeeId;
  return suggestion;
}

function compareSuggestions(a: MatchSuggestion, b: MatchSuggestion): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const byUser = (a.odooUserId ?? 0) - (b.odooUserId ?? 0);
  return byUser !== 0 ? byUser : (a.employeeId ?? 0) - (b.employeeId ?? 0);
}

function suggestionKey(suggestion: MatchSuggestion): string {
  return `${suggestion.odooUserId ?? '-'}:${suggestion.employeeId ?? '-'}`;
}

interface PersonProbe {
  tokens: string[];
  email: string | null;
  localTokens: string[];
}

function probeOf(directory: PreparedDirectory, person: PersonToMatch): PersonProbe {
  const email = canonicalEmail(directory, person.email);
  return { tokens: nameTokens(person.name), email, localTokens: localPartTokens(email) };
}

/** How close an Odoo identity is to the person, 0–1. */
function scoreIdentity(probe: PersonProbe, identity: Identity): number {
  let best = 0;
  for (const names of identity.names) {
    if (probe.tokens.length > 0) best = Math.max(best, nameSimilarity(probe.tokens, names));
    // An e-mail's local part often spells the name (ana.souza@…); trusted a little less.
    if (probe.localTokens.length > 0) best = Math.max(best, 0.95 * nameSimilarity(probe.localTokens, names));
  }
  for (const email of identity.emails) best = Math.max(best, emailSimilarity(probe.email, email));
  return identity.active ? best : best * 0.9;
}

/**
 * The Odoo people closest to `person` (names token by token, e-mail local parts, the e-mail's
 * local part against names), best first. Pure.
 */
export function suggestIdentities(
  person: PersonToMatch,
  directory: PreparedDirectory,
  options: { max?: number; minScore?: number } = {},
): MatchSuggestion[] {
  const max = options.max ?? MAX_SUGGESTIONS;
  const minScore = options.minScore ?? 0.8;
  if (max <= 0) return [];
  const probe = probeOf(directory, person);
  const scored: MatchSuggestion[] = [];
  for (const identity of directory.identities) {
    const score = scoreIdentity(probe, identity);
    if (score >= minScore) scored.push(toSuggestion(identity, score));
  }
  return scored.sort(compareSuggestions).slice(0, max);
}

interface HitIdentity {
  hit: DirectoryHit;
  odooUserId: number | null;
  employeeId: number | null;
}

function identityOfHit(directory: PreparedDirectory, hit: DirectoryHit): HitIdentity {
  if (hit.source === 'employee') {
    const employee = directory.employeesById.get(hit.odooId);
    return { hit, odooUserId: employee?.userId?.id ?? null, employeeId: hit.odooId };
  }
  return { hit, odooUserId: hit.odooId, employeeId: employeeOfUser(directory, hit.odooId)?.odooId ?? null };
}

const SOURCE_WORDS: Record<HitSource, string> = { user: 'Odoo user', employee: 'Odoo employee', salesperson: 'salesperson' };

/** A person's name as typed, with runs of spaces collapsed, for sentences; `''` for none. */
function displayName(person: PersonToMatch): string {
  return person.name?.trim().replace(/\s+/gu, ' ') ?? '';
}

function describeLookup(rules: ResolveRules, person: PersonToMatch): string {
  if (rules.matchedOn === 'email') return `the e-mail ${rules.value}`;
  return `the name ${displayName(person) || rules.value}`;
}

function ambiguous<S extends string>(
  strategy: S,
  code: StrategyAmbiguous['code'],
  reason: string,
  directory: PreparedDirectory,
  identities: readonly HitIdentity[],
): StrategyAmbiguous<S> {
  const seen = new Map<string, MatchSuggestion>();
  for (const { odooUserId, employeeId } of identities) {
    const suggestion = toSuggestion(identityOf(directory, odooUserId, employeeId), 1);
    seen.set(suggestionKey(suggestion), suggestion);
  }
  return { strategy, status: 'ambiguous', code, reason, candidates: [...seen.values()].sort(compareSuggestions) };
}

/** Why a name-based match is refused, or `null` when the person's mailbox agrees with it. */
function verifyMailbox(
  person: PersonToMatch,
  directory: PreparedDirectory,
  odooUserId: number | null,
  employee: DirectoryEmployee | undefined,
  lookup: string,
): { code: 'email_conflict' | 'unverified_name'; reason: string } | null {
  const addresses = personAddresses(directory, person);
  if (addresses.length === 0) return null;
  const shown = addresses.join(' or ');
  const user = odooUserId === null ? undefined : directory.usersById.get(odooUserId);
  const linked = odooUserId === null ? [] : (directory.employeesByUserId.get(odooUserId) ?? []);
  const theirs = new Set([...knownEmails(directory, user, employee), ...linked.flatMap((other) => knownEmails(directory, undefined, other))]);
  if (addresses.some((address) => theirs.has(address))) return null;
  if (theirs.size > 0) {
    return {
      code: 'email_conflict',
      reason: `Someone in Odoo has ${lookup} but the e-mail ${[...theirs].join(', ')}, not ${shown}, so odoo-sync cannot tell whether it is you.`,
    };
  }
  const inOrganisation = addresses.filter((address) => directory.organisationDomains.has(emailDomain(address) ?? ''));
  if (inOrganisation.length === 0) {
    return {
      code: 'unverified_name',
      reason: `Someone in Odoo has ${lookup} but no e-mail, and ${shown} is not an address of the organisation, so odoo-sync cannot tell whether it is you.`,
    };
  }
  const names = [user?.name ?? null, employee?.name ?? null, ...linked.map((other) => other.name)];
  if (odooUserId !== null) names.push(...(directory.salespersonNames.get(odooUserId) ?? []));
  const spelled = inOrganisation.some((address) => names.some((name) => name !== null && localPartSpellsName(address, name, directory.addressNameOrders)));
  if (!spelled) {
    return {
      code: 'unverified_name',
      reason: `Someone in Odoo has ${lookup} but no e-mail, and ${inOrganisation.join(' or ')} does not spell that name alone the way the organisation's addresses do, so there may be another person of that name.`,
    };
  }
  return null;
}

/**
 * Turns the records a strategy found into its answer, applying the rules every strategy
 * shares:
 * 1. archived records are left out when an active record fits; when only archived ones fit,
 *    `ambiguous` (`archived_only`) unless the directory's policy is `'fallback'`;
 * 2. the users they point at — found directly, as a salesperson, or through an employee's
 *    `user_id` — must be one: two different users → `ambiguous` (`records_disagree` when an
 *    employee's `user_id` names another user than one found directly, `several_candidates`
 *    otherwise: homonyms, a shared mailbox) — never a pick;
 * 3. an employee without `user_id` belongs to that user only when it shares one of the user's
 *    mailboxes (or `rules.pairUnlinked`, for e-mail hits where it shares the person's);
 *    otherwise it may be a namesake → `ambiguous` (`unlinked_records`). Odoo's own link wins:
 *    such an employee is ignored when the user has a linked employee, and completes the user
 *    when it has none;
 * 4. the employee is the user's one linked employee (found or completed); a user with several
 *    (one per company) gets none rather than a pick. Without user, two employees → `ambiguous`;
 * 5. with `rules.verifyMailbox` (names): the identity's Odoo mailboxes must include the
 *    person's (else `email_conflict`); an identity without any mailbox needs the person's
 *    address to be in an organisation domain and to spell their name (else `unverified_name`).
 */
export function resolveHits<S extends string>(
  strategy: S,
  person: PersonToMatch,
  directory: PreparedDirectory,
  hits: readonly DirectoryHit[],
  rules: ResolveRules,
): StrategyOutcome<S> {
  const lookup = describeLookup(rules, person);
  const notFound = (reason: string): StrategyNotFound<S> => ({ strategy, status: 'not_found', skipped: false, reason });
  const activeHits = hits.filter((hit) => hit.active);
  const chosen = activeHits.length > 0 ? activeHits : [...hits];
  if (chosen.length === 0) return notFound(`No Odoo user or employee has ${lookup}.`);
  const required = rules.requireSource;
  if (required !== undefined && !chosen.some((hit) => required.includes(hit.source))) {
    return notFound(`No ${required.map((source) => SOURCE_WORDS[source]).join(' or ')} has ${lookup}.`);
  }

  const identities = chosen.map((hit) => identityOfHit(directory, hit));
  if (activeHits.length === 0 && directory.archived !== 'fallback') {
    return ambiguous(
      strategy,
      'archived_only',
      `Only archived Odoo records have ${lookup}; odoo-sync does not link anyone to a record that is archived in Odoo.`,
      directory,
      identities,
    );
  }
  const users = new Set(identities.flatMap((identity) => (identity.odooUserId === null ? [] : [identity.odooUserId])));
  const employeeHits = new Map<number, DirectoryEmployee>();
  for (const hit of chosen) {
    const employee = hit.source === 'employee' ? directory.employeesById.get(hit.odooId) : undefined;
    if (employee) employeeHits.set(employee.odooId, employee);
  }

  if (users.size > 1) {
    const directUsers = new Set(chosen.filter((hit) => hit.source !== 'employee').map((hit) => hit.odooId));
    const disagree = [...employeeHits.values()].some(
      (employee) => employee.userId !== null && directUsers.size > 0 && !directUsers.has(employee.userId.id),
    );
    return disagree
      ? ambiguous(
          strategy,
          'records_disagree',
          `The Odoo employee with ${lookup} is linked to a different Odoo user than the one with ${lookup}, so odoo-sync will not choose between them.`,
          directory,
          identities,
        )
      : ambiguous(
          strategy,
          'several_candidates',
          `${users.size} different Odoo users have ${lookup}, so odoo-sync will not choose between them.`,
          directory,
          identities,
        );
  }

  let odooUserId: number | null = null;
  let employeeId: number | null = null;
  if (users.size === 1) {
    const userId = [...users][0] as number;
    odooUserId = userId;
    const linkedFound = [...employeeHits.values()].filter((employee) => employee.userId?.id === userId);
    const unlinkedFound = [...employeeHits.values()].filter((employee) => employee.userId === null);
    const linkedAll = directory.employeesByUserId.get(userId) ?? [];
    const mailboxes = new Set([
      ...knownEmails(directory, directory.usersById.get(userId), undefined),
      ...linkedAll.flatMap((employee) => knownEmails(directory, undefined, employee)),
    ]);
    const namesakes = unlinkedFound.filter((employee) => {
      const email = canonicalEmail(directory, employee.workEmail);
      return !rules.pairUnlinked && (email === null || !mailboxes.has(email));
    });
    if (namesakes.length > 0) {
      return ambiguous(
        strategy,
        'unlinked_records',
        `An Odoo user and an Odoo employee both have ${lookup} but are not linked to each other in Odoo, so they may be two people.`,
        directory,
        [
          ...identities.filter((identity) => identity.odooUserId !== null),
          ...namesakes.map((employee) => ({ hit: chosen[0] as DirectoryHit, odooUserId: null, employeeId: employee.odooId })),
        ],
      );
    }
    if (linkedFound.length === 1) employeeId = linkedFound[0]?.odooId ?? null;
    else if (linkedFound.length === 0 && linkedAll.length > 0) employeeId = employeeOfUser(directory, userId)?.odooId ?? null;
    else if (linkedFound.length === 0 && unlinkedFound.length === 1) employeeId = unlinkedFound[0]?.odooId ?? null;
  } else {
    if (employeeHits.size > 1) {
      return ambiguous(
        strategy,
        'several_candidates',
        `${employeeHits.size} different Odoo employees have ${lookup}, so odoo-sync will not choose between them.`,
        directory,
        identities,
      );
    }
    employeeId = [...employeeHits.keys()][0] ?? null;
  }
  const employee = employeeId === null ? undefined : directory.employeesById.get(employeeId);

  if (rules.verifyMailbox) {
    const refusal = verifyMailbox(person, directory, odooUserId, employee, lookup);
    if (refusal !== null) {
      return ambiguous(strategy, refusal.code, refusal.reason, directory, [{ hit: chosen[0] as DirectoryHit, odooUserId, employeeId }]);
    }
  }

  const records = chosen.filter((hit) =>
    hit.source === 'employee' ? hit.odooId === employeeId || directory.employeesById.get(hit.odooId)?.userId?.id === odooUserId : hit.odooId === odooUserId,
  );
  const filledIn: MatchEvidence['filledIn'] = [];
  if (odooUserId !== null && !records.some((hit) => hit.source !== 'employee')) filledIn.push('odooUserId');
  if (employeeId !== null && !records.some((hit) => hit.source === 'employee' && hit.odooId === employeeId)) filledIn.push('employeeId');
  return {
    strategy,
    status: 'matched',
    odooUserId,
    employeeId,
    evidence: { matchedOn: rules.matchedOn, value: rules.value, records, archived: activeHits.length === 0, filledIn },
  };
}

/**
 * Strategy 1: the person's e-mail against Odoo users' `login` and `email` and employees'
 * `work_email`, all through {@link normalizeEmail} (case, spaces, `+tag`). A user and an
 * employee that share the address but are not linked in Odoo are taken as one person: they
 * share a mailbox.
 */
export const matchByEmail: IdentityStrategy<'email'> = (person, directory) => {
  const addresses = personAddresses(directory, person);
  if (addresses.length === 0) {
    return { strategy: 'email', status: 'not_found', skipped: true, reason: 'There is no e-mail address to look for.' };
  }
  // Every address is the person's own: what any of them finds is theirs (two people → ambiguous).
  const found = addresses.filter((address) => directory.byEmail.has(address));
  const hits = found.flatMap((address) => directory.byEmail.get(address) ?? []);
  if (hits.length === 0) {
    return { strategy: 'email', status: 'not_found', skipped: false, reason: `No Odoo user or employee has the e-mail ${addresses.join(' or ')}.` };
  }
  return resolveHits('email', person, directory, hits, {
    matchedOn: 'email',
    value: found.join(', '),
    pairUnlinked: true,
    verifyMailbox: false,
  });
};

/**
 * A strategy that looks the person's name up ({@link nameKey}) and lets {@link resolveHits}
 * decide among the records bearing it. Every record with the name is a hit (so a homonym of any
 * kind makes the answer ambiguous); `sources` are the kinds of record the strategy is about.
 */
function nameStrategy<S extends 'name' | 'salesperson'>(
  strategy: S,
  sources: readonly HitSource[],
  nobody: (name: string) => string,
): IdentityStrategy<S> {
  return (person, directory) => {
    const key = nameKey(person.name);
    if (key === null) return { strategy, status: 'not_found', skipped: true, reason: 'There is no name to look for.' };
    const hits = directory.byNameKey.get(key) ?? [];
    if (!hits.some((hit) => sources.includes(hit.source))) {
      return { strategy, status: 'not_found', skipped: false, reason: nobody(displayName(person) || key) };
    }
    return resolveHits(strategy, person, directory, hits, {
      matchedOn: 'name',
      value: key,
      pairUnlinked: false,
      verifyMailbox: true,
      requireSource: sources,
    });
  };
}

/**
 * Strategy 2: the person's name against Odoo users' and employees' names, through
 * {@link nameKey} (case, accents, punctuation, spaces, word order). Every record bearing the
 * name counts — salespersons too — so a homonym anywhere makes the answer `ambiguous`. A name
 * cannot tell namesakes apart, so the person's mailbox must agree: someone whose Odoo mailbox
 * is not the person's is refused (`email_conflict`); someone without any Odoo mailbox is taken
 * only when the person's address is in the organisation's domains and spells their name
 * (`unverified_name` otherwise). A user and an employee not linked in Odoo are not merged.
 */
export const matchByName: IdentityStrategy<'name'> = nameStrategy(
  'name',
  ['user', 'employee'],
  (name) => `No Odoo user or employee is named ${name}.`,
);

/**
 * Strategy 3: the person's name against the salespersons of synced opportunities (gives the
 * Odoo user id, and its employee when it has exactly one). Same rules as {@link matchByName}:
 * users and employees bearing the name are looked at too, so a homonym makes it ambiguous, and
 * the person's mailbox must agree.
 */
export const matchBySalesperson: IdentityStrategy<'salesperson'> = nameStrategy(
  'salesperson',
  ['salesperson'],
  (name) => `No salesperson on synced opportunities is named ${name}.`,
);

/** The built-in strategies in their default order: e-mail, name, salesperson. */
export const DEFAULT_STRATEGIES: readonly [
  IdentityStrategy<'email'>,
  IdentityStrategy<'name'>,
  IdentityStrategy<'salesperson'>,
] = [matchByEmail, matchByName, matchBySalesperson];

function validateOptions(options: MatchOptions<string>): void {
  if (options.strategies !== undefined) {
    if (!Array.isArray(options.strategies) || options.strategies.length === 0) {
      throw new TypeError('Expected options.strategies to be a non-empty array of strategy functions.');
    }
    options.strategies.forEach((strategy, index) => {
      if (typeof strategy !== 'function') {
        throw new TypeError(`Expected options.strategies[${index}] to be a function, got ${typeof strategy}.`);
      }
    });
  }
  const max = options.maxSuggestions;
  if (max !== undefined && (!Number.isInteger(max) || max < 0 || max > MAX_SUGGESTIONS)) {
    throw new TypeError(`Expected options.maxSuggestions to be an integer from 0 to ${MAX_SUGGESTIONS}, got ${String(max)}.`);
  }
  const min = options.minSuggestionScore;
  if (min !== undefined && (typeof min !== 'number' || !(min >= 0 && min <= 1))) {
    throw new TypeError(`Expected options.minSuggestionScore to be a number from 0 to 1, got ${String(min)}.`);
  }
}

function mergeSuggestions(first: readonly MatchSuggestion[], rest: readonly MatchSuggestion[], max: number): MatchSuggestion[] {
  const seen = new Set<string>();
  const merged: MatchSuggestion[] = [];
  for (const suggestion of [...first, ...rest]) {
    const key = suggestionKey(suggestion);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(suggestion);
  }
  return merged.slice(0, max);
}

/**
 * Links a person to their Odoo identity. Tries `options.strategies` in order; the first that
 * answers `matched` or `ambiguous` decides. Pure and deterministic.
 *
 * - `matched`: `odooUserId` and/or `employeeId`, the strategy and its evidence. A matched
 *   user's employee is filled in when it has exactly one; a matched employee's user from its
 *   `user_id`.
 * - `ambiguous`: several people (or disagreeing records) fit; nobody is picked. The
 *   candidates come first in `suggestions`.
 * - `not_found`: nobody fits; `suggestions` holds the closest people (score ≥
 *   `minSuggestionScore`), at most `maxSuggestions`.
 *
 * Throws a `TypeError` for invalid options.
 */
export function matchOdooIdentity<S extends string = BuiltInStrategyName>(
  person: PersonToMatch,
  directory: OdooDirectory | PreparedDirectory,
  options: MatchOptions<S> = {},
): IdentityMatchResult<S> {
  validateOptions(options);
  const prepareOptions: PrepareOptions = {};
  if (options.archived !== undefined) prepareOptions.archived = options.archived;
  if (options.domainAliases !== undefined) prepareOptions.domainAliases = options.domainAliases;
  const prepared = isPrepared(directory) ? directory : prepareDirectory(directory, prepareOptions);
  const strategies = (options.strategies ?? DEFAULT_STRATEGIES) as readonly IdentityStrategy<S>[];
  const max = options.maxSuggestions ?? MAX_SUGGESTIONS;
  const minScore = options.minSuggestionScore ?? 0.8;
  const tried: S[] = [];
  const misses: StrategyNotFound<S>[] = [];

  for (const strategy of strategies) {
    const outcome = strategy(person, prepared);
    if (outcome.status === 'not_found' && outcome.skipped) continue;
    tried.push(outcome.strategy);
    if (outcome.status === 'matched') {
      return {
        status: 'matched',
        odooUserId: outcome.odooUserId,
        employeeId: outcome.employeeId,
        strategy: outcome.strategy,
        evidence: outcome.evidence,
      };
    }
    if (outcome.status === 'ambiguous') {
      return {
        status: 'ambiguous',
        code: outcome.code,
        reason: outcome.reason,
        strategy: outcome.strategy,
        tried,
        suggestions: mergeSuggestions(outcome.candidates, suggestIdentities(person, prepared, { max, minScore }), max),
      };
    }
    misses.push(outcome);
  }

  const nothingToLookFor = tried.length === 0;
  return {
    status: 'not_found',
    code: nothingToLookFor ? 'no_input' : 'no_match',
    reason: nothingToLookFor ? 'There is neither an e-mail address nor a name to look for.' : notFoundSentence(person, misses),
    strategy: null,
    tried,
    suggestions: suggestIdentities(person, prepared, { max, minScore }),
  };
}

const BUILT_IN: readonly string[] = ['email', 'name', 'salesperson'];

/** One sentence for what the strategies looked for and did not find. */
function notFoundSentence(person: PersonToMatch, misses: readonly StrategyNotFound<string>[]): string {
  const names = new Set(misses.map((miss) => miss.strategy));
  const emails = personAddresses(AS_TYPED, person);
  const name = displayName(person);
  const looked: string[] = [];
  if (names.has('email') && emails.length > 0) looked.push(`the e-mail ${emails.join(' or ')}`);
  if ((names.has('name') || names.has('salesperson')) && name !== '') looked.push(`the name ${name}`);
  const sentences: string[] = [];
  if (looked.length > 0) {
    const who = names.has('salesperson') && !names.has('name') ? 'No salesperson' : 'No Odoo user or employee';
    sentences.push(`${who} has ${looked.join(' or ')}.`);
  }
  for (const miss of misses) if (!BUILT_IN.includes(miss.strategy)) sentences.push(miss.reason);
  return sentences.join(' ');
}

function formatSuggestion(suggestion: MatchSuggestion): string {
  return suggestion.email === null ? suggestion.name : `${suggestion.name} (${suggestion.email})`;
}

function formatList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

const STRATEGY_WORDS: Readonly<Record<string, string>> = { email: 'e-mail', name: 'name', salesperson: 'salesperson name' };

/**
 * A sentence a salesperson understands about a match result, e.g. "No Odoo user or employee
 * has the e-mail ana@x.com. Closest: Ana Souza (ana.souza@x.com) — ask an admin to link you."
 * Names at most three suggestions. For a `matched` result it says how the link was made.
 */
export function describeMatchFailure(result: IdentityMatchResult<string>, person: PersonToMatch): string {
  if (result.status === 'matched') {
    const how = STRATEGY_WORDS[result.strategy] ?? result.strategy;
    const own = normalizeEmail(person.email);
    // The person's own spelling of their e-mail, unless another of their addresses made the link.
    const email = own !== null && (result.evidence.value === own || (person.otherEmails ?? []).length === 0) ? own : result.evidence.value;
    return `Linked to Odoo by ${how} (${result.evidence.matchedOn === 'email' ? email : displayName(person) || result.evidence.value}).`;
  }
  const lead = result.reason;
  const shown = result.suggestions.slice(0, 3).map(formatSuggestion);
  if (shown.length === 0) return `${lead} Ask an admin to link you.`;
  const label = result.status === 'ambiguous' ? 'Candidates' : 'Closest';
  return `${lead} ${label}: ${formatList(shown)} — ask an admin to link you.`;
}
