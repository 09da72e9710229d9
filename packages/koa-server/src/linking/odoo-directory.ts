/**
 * The Odoo directory the linking routes match people against, built from the synced store:
 * `odoo_user` and `employee` records (archived ones flagged `active: false`, deleted ones left
 * out) and the distinct salespersons of synced opportunities. Read page by page so memory
 * holds only what matching needs, and kept for a short time so a burst of requests reads the
 * store once.
 * @module
 */
import {
  type Clock,
  type Employee,
  type EntityName,
  type Opportunity,
  type OdooUser,
  type PreparedDirectory,
  type RecordStore,
  type SettingsStore,
  type SyncedRecord,
  type SyncLogStore,
  type Logger,
  prepareDirectory,
} from '@odoo-sync/core';
import {
  type DirectoryEmployee,
  type DirectorySalesperson,
  type DirectoryUser,
  canonicalEmail,
  employeeOfUser,
  nameSimilarity,
  nameTokens,
  normalizeName,
} from '@odoo-sync/core/matching';
import { summarizeError } from '@odoo-sync/core/errors';
import type { EmployeeNumberReader } from './employee-numbers.js';

/** Options of {@link OdooDirectoryCache}. */
export interface OdooDirectoryCacheOptions {
  /**
   * Where the synced records are. Its settings hold the time of the last change a webhook made
   * to the directory's records (see {@link OdooDirectoryCache.recordsChanged}), so every replica sees it.
   */
  store: RecordStore & SyncLogStore & SettingsStore;
  /** Time source for the cache's lifetime. */
  clock: Clock;
  /**
   * How long a built directory is reused, in milliseconds. A sync run of users, employees or
   * opportunities that finished meanwhile, or a webhook that changed one of them, makes it
   * stale at once.
   * @default 30000
   */
  ttlMs?: number;
  /**
   * Records read per store page.
   * @default 1000
   */
  pageSize?: number;
  /**
   * Domains that are the same mailboxes under another name, alias → canonical
   * (`{ 'acme.eu': 'acme.com' }`): the `domainAliases` of core's `prepareDirectory`, so the
   * self-service link and the admin candidate search take `ana@acme.eu` for `ana@acme.com`.
   * Only list domains whose mailboxes really are shared. Checked by core when the cache is
   * made (a `TypeError` for anything that is not a map of domains). The server reads it from
   * `LINK_DOMAIN_ALIASES`.
   * @default {}
   */
  domainAliases?: Readonly<Record<string, string>>;
  /**
   * Reads the employee numbers Odoo holds (`LINK_EMPLOYEE_ID_FIELD`), matched exactly against
   * a person's Microsoft 365 employee id. Read with every build; a failed read is logged and
   * the directory is built without them.
   */
  employeeNumbers?: EmployeeNumberReader;
  /** Where a failed employee-number read is logged. */
  logger?: Logger;
}

/** The entities the directory is built from. */
export const DIRECTORY_ENTITIES: readonly EntityName[] = ['odoo_user', 'employee', 'opportunity'];

/** The settings key holding when a webhook last changed one of the {@link DIRECTORY_ENTITIES}. */
export const DIRECTORY_CHANGED_KEY = 'directory.changedAt';

async function forEachLiveRecord<D>(
  store: RecordStore,
  entity: EntityName,
  pageSize: number,
  visit: (record: SyncedRecord<D>) => void,
): Promise<void> {
  let cursor: string | null = null;
  do {
    const page = await store.queryRecords(entity, { includeInactive: true, limit: pageSize, cursor });
    for (const record of page.items) {
      if (record.inactiveReason === 'deleted') continue;
      visit(record as unknown as SyncedRecord<D>);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/**
 * Reads the directory from the store: users and employees that are not deleted in Odoo
 * (archived ones with `active: false`, so matching prefers active people and only suggests
 * archived ones), and one salesperson per distinct (user id, name) of synced opportunities.
 */
export async function loadOdooDirectory(store: RecordStore, pageSize = 1000): Promise<{
  users: DirectoryUser[];
  employees: DirectoryEmployee[];
  salespersons: DirectorySalesperson[];
}> {
  const users: DirectoryUser[] = [];
  const employees: DirectoryEmployee[] = [];
  const salespersons = new Map<string, DirectorySalesperson>();
  await forEachLiveRecord<OdooUser>(store, 'odoo_user', pageSize, ({ data, isActive }) => {
    users.push({ odooId: data.odooId, name: data.name, login: data.login, email: data.email, active: isActive });
  });
  await forEachLiveRecord<Employee>(store, 'employee', pageSize, ({ data, isActive }) => {
    employees.push({ odooId: data.odooId, name: data.name, workEmail: data.workEmail, userId: data.userId, active: isActive });
  });
  await forEachLiveRecord<Opportunity>(store, 'opportunity', pageSize, ({ data }) => {
    const person = data.userId;
    if (person === null || person.name.trim() === '') return;
    const key = `${person.id}\u0000${person.name}`;
    if (!salespersons.has(key)) salespersons.set(key, { odooId: person.id, name: person.name });
  });
  return { users, employees, salespersons: [...salespersons.values()] };
}

/** One person in Odoo as the admin search shows them: a user with its employee, or an employee alone. */
export interface OdooCandidate {
  /** `res.users` id, or `null` for an employee without user. */
  odooUserId: number | null;
  /** `hr.employee` id, or `null` for a user without (or with several) employees. */
  employeeId: number | null;
  /** Name to show. */
  name: string;
  /** The user's login, or `null`. */
  login: string | null;
  /** The user's e-mail, or `null`. */
  email: string | null;
  /** The employee's work e-mail, or `null`. */
  workEmail: string | null;
  /** False when the user or the employee is archived in Odoo. */
  active: boolean;
  /** How well it fits the search, 0–1. */
  score: number;
}

/** Options of {@link searchOdooCandidates}. */
export interface CandidateSearchOptions {
  /**
   * Most candidates returned.
   * @default 20
   */
  limit?: number;
  /**
   * Least fuzzy name similarity (0–1) for a candidate that does not contain the text.
   * @default 0.8
   */
  minFuzzyScore?: number;
}

function textScore(query: string, value: string | null): number {
  if (value === null || value === '') return 0;
  if (value === query) return 1;
  if (value.startsWith(query)) return 0.95;
  if (value.split(/[\s.@_-]+/).some((word) => word.startsWith(query))) return 0.92;
  if (value.includes(query)) return 0.9;
  return 0;
}

/**
 * Searches users and employees by name, login and e-mail: exact, prefix, word-prefix and
 * substring hits first (case, accents, `+tag` and the directory's `domainAliases` ignored), then
 * fuzzy name matches; active people before archived ones at equal score. Pure.
 */
export function searchOdooCandidates(directory: PreparedDirectory, query: string, options: CandidateSearchOptions = {}): OdooCandidate[] {
  const limit = options.limit ?? 20;
  const minFuzzy = options.minFuzzyScore ?? 0.8;
  const text = query.trim();
  const asName = normalizeName(text) ?? '';
  // Addresses compared as matching compares them: an alias domain reads as its canonical one.
  const asEmail = canonicalEmail(directory, text) ?? text.toLowerCase();
  const tokens = nameTokens(text);
  if (asName === '' && asEmail === '') return [];

  const candidates: OdooCandidate[] = [];
  const coveredEmployees = new Set<number>();
  const consider = (user: DirectoryUser | undefined, employee: DirectoryEmployee | undefined) => {
    const names = [user?.name ?? null, employee?.name ?? null].filter((n): n is string => n !== null && n.trim() !== '');
    const mails = [user?.login ?? null, user?.email ?? null, employee?.workEmail ?? null];
    let score = 0;
    for (const name of names) {
      score = Math.max(score, textScore(asName, normalizeName(name)));
      if (tokens.length > 0) {
        const fuzzy = nameSimilarity(tokens, nameTokens(name));
        if (fuzzy >= minFuzzy) score = Math.max(score, Math.min(0.89, fuzzy * 0.89));
      }
    }
    for (const mail of mails) {
      if (mail === null) continue;
      score = Math.max(score, textScore(asEmail, canonicalEmail(directory, mail) ?? mail.trim().toLowerCase()));
    }
    if (score === 0) return;
    const active = (user?.active ?? true) !== false && (employee?.active ?? true) !== false;
    candidates.push({
      odooUserId: user?.odooId ?? employee?.userId?.id ?? null,
      employeeId: employee?.odooId ?? null,
      name: names[0]?.trim() ?? user?.login ?? `Odoo user #${user?.odooId ?? 0}`,
      login: user?.login ?? null,
      email: user?.email ?? null,
      workEmail: employee?.workEmail ?? null,
      active,
      score: Math.round(score * 1000) / 1000,
    });
  };
  for (const user of directory.users) {
    const employee = employeeOfUser(directory, user.odooId) ?? undefined;
    if (employee) coveredEmployees.add(employee.odooId);
    consider(user, employee);
  }
  for (const employee of directory.employees) {
    if (coveredEmployees.has(employee.odooId)) continue;
    const user = employee.userId === null ? undefined : directory.usersById.get(employee.userId.id);
    // An employee of a user with several employees: shown with its user, so the admin can pick the right one.
    consider(user, employee);
  }
  return candidates
    .sort(
      (a, b) =>
        b.score - a.score ||
        Number(b.active) - Number(a.active) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        (a.odooUserId ?? 0) - (b.odooUserId ?? 0) ||
        (a.employeeId ?? 0) - (b.employeeId ?? 0),
    )
    .slice(0, limit);
}

/**
 * The synced Odoo directory, prepared for matching, rebuilt when older than `ttlMs` or when a
 * sync run of users, employees or opportunities finished since it was built. Concurrent
 * callers share one build.
 *
 * @example
 * ```ts
 * const directory = new OdooDirectoryCache({ store, clock: systemClock });
 * const result = matchOdooIdentity({ email: user.email, name: user.name }, await directory.get());
 * ```
 */
export class OdooDirectoryCache {
  readonly #store: RecordStore & SyncLogStore & SettingsStore;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #pageSize: number;
  readonly #domainAliases: Readonly<Record<string, string>>;
  readonly #employeeNumbers: EmployeeNumberReader | null;
  readonly #logger: Logger | null;
  #cached: { directory: PreparedDirectory; builtAt: number; fingerprint: string } | null = null;
  #building: Promise<PreparedDirectory> | null = null;

  /** Reads nothing until {@link OdooDirectoryCache.get} is called. */
  constructor(options: OdooDirectoryCacheOptions) {
    const ttlMs = options.ttlMs ?? 30_000;
    const pageSize = options.pageSize ?? 1000;
    if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new TypeError(`Expected options.ttlMs to be a number ≥ 0, got ${String(ttlMs)}.`);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new TypeError(`Expected options.pageSize to be an integer from 1 to 1000, got ${String(pageSize)}.`);
    }
    this.#store = options.store;
    this.#clock = options.clock;
    this.#ttlMs = ttlMs;
    this.#pageSize = pageSize;
    this.#employeeNumbers = options.employeeNumbers ?? null;
    this.#logger = options.logger ?? null;
    // Core validates the aliases (one rule for every caller); done here so a bad option fails at start, not at the first request.
    const domainAliases = options.domainAliases ?? {};
    prepareDirectory({ users: [], employees: [], salespersons: [] }, { domainAliases });
    // A copy: a caller changing its object later does not change what the cache matches with.
    this.#domainAliases = Object.freeze({ ...domainAliases });
  }

  /** The prepared directory (from the cache when still fresh). */
  async get(): Promise<PreparedDirectory> {
    const fingerprint = await this.#fingerprint();
    const now = this.#clock.now().getTime();
    const cached = this.#cached;
    if (cached && cached.fingerprint === fingerprint && now - cached.builtAt < this.#ttlMs) return cached.directory;
    this.#building ??= (async () => {
      try {
        const loaded = await loadOdooDirectory(this.#store, this.#pageSize);
        const numbers = await this.#readEmployeeNumbers();
        const employees = numbers === null ? loaded.employees : loaded.employees.map((employee) => ({ ...employee, employeeNumber: numbers.get(employee.odooId) ?? null }));
        const directory = prepareDirectory({ ...loaded, employees }, { domainAliases: this.#domainAliases });
        this.#cached = { directory, builtAt: this.#clock.now().getTime(), fingerprint };
        return directory;
      } finally {
        this.#building = null;
      }
    })();
    return this.#building;
  }

  async #readEmployeeNumbers(): Promise<ReadonlyMap<number, string> | null> {
    if (this.#employeeNumbers === null) return null;
    try {
      return await this.#employeeNumbers();
    } catch (error) {
      this.#logger?.warn({ err: summarizeError(error) }, 'employee numbers (LINK_EMPLOYEE_ID_FIELD) not read from Odoo; linking goes on without them');
      return null;
    }
  }

  /** Forgets the cached directory: the next {@link OdooDirectoryCache.get} reads the store. */
  invalidate(): void {
    this.#cached = null;
  }

  /**
   * Says that records the directory is built from changed outside a sync run (a webhook wrote
   * them): this replica's cache is dropped at once, and the others' at their next
   * {@link OdooDirectoryCache.get}, through a marker in the store's settings.
   */
  async recordsChanged(entities: readonly EntityName[]): Promise<void> {
    if (!entities.some((entity) => DIRECTORY_ENTITIES.includes(entity))) return;
    this.invalidate();
    await this.#store.setSetting(DIRECTORY_CHANGED_KEY, `${this.#clock.now().toISOString()}#${globalThis.crypto.randomUUID()}`);
  }

  async #fingerprint(): Promise<string> {
    const [changed, ...latest] = await Promise.all([
      this.#store.getSetting(DIRECTORY_CHANGED_KEY),
      ...DIRECTORY_ENTITIES.map((entity) => this.#store.latestSyncLog(entity)),
    ]);
    const runs = (latest).map((entry) =>
      entry ? `${entry.id}@${entry.finishedAt ?? ''}` : '-',
    );
    return [...runs, typeof changed === 'string' ? changed : '-'].join('|');
  }
}
