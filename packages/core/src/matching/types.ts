/**
 * The shapes of identity matching: the person to link, the Odoo directory it is matched
 * against (as given and as indexed), the evidence and answers of a strategy and of
 * {@link matchOdooIdentity}, and their options. Types only.
 * @module
 */
import type { Many2One } from '../entities/odoo-values.js';
import type { LinkStrategy } from '../ports.js';
import type { NameOrder } from './text.js';

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
   * these that Odoo knows links them — when their e-mail finds nobody, and only to someone
   * who bears their name (an alias can be an address Odoo still gives a former holder).
   */
  otherEmails?: readonly (string | null)[];
  /**
   * The employee number their organisation gave them, as the sign-in provider holds it
   * (Microsoft Entra's `employeeId`). Compared exactly (spaces around it ignored) with
   * {@link DirectoryEmployee.employeeNumber} by `matchByEmployeeNumber`.
   */
  employeeNumber?: string | null;
}


/**
 * An Odoo user as matching needs it. A normalised `odoo_user` record ({@link @odoo-sync/core!OdooUser | OdooUser})
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
 * An Odoo employee as matching needs it. A normalised `employee` record ({@link @odoo-sync/core!Employee | Employee})
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
   * The employee number Odoo holds for them in the field that mirrors the sign-in provider's
   * (e.g. `identification_id` or `barcode` for Entra's `employeeId`), or `null`/absent.
   */
  employeeNumber?: string | null;
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
  /** Odoo field that fitted: `login`, `email`, `work_email`, `name`, or `employee_number` (the employee-number field). */
  field: 'login' | 'email' | 'work_email' | 'name' | 'employee_number';
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
  matchedOn: 'email' | 'name' | 'employee_number';
  /** The person's value after normalisation (normalised e-mail, {@link @odoo-sync/core/matching!nameKey | nameKey} or the trimmed employee number). */
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
 *   name — e.g. `ana.souza2@…`, which says there is another Ana Souza);
 * - `unverified_alias`: only one of the person's other addresses ({@link PersonToMatch.otherEmails})
 *   fits, and the Odoo person holding it does not bear the person's name (a former holder's
 *   address now delivered to them, say).
 */
export type MatchFailureCode =
  | 'no_input'
  | 'no_match'
  | 'several_candidates'
  | 'records_disagree'
  | 'unlinked_records'
  | 'email_conflict'
  | 'archived_only'
  | 'unverified_name'
  | 'unverified_alias';

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
   * @default DEFAULT_STRATEGIES ([matchByEmail, matchByEmployeeNumber, matchByName, matchBySalesperson])
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
  matchedOn: 'email' | 'name' | 'employee_number';
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
   * ({@link PreparedDirectory.addressNameOrders}), else
   * `unverified_name`.
   */
  verifyMailbox: boolean;
  /** Only conclude when a hit comes from one of these sources; otherwise `not_found`. Default: any. */
  requireSource?: readonly HitSource[];
}

/**
 * A person in Odoo as suggestions see them: a user with its employee, or an employee alone.
 * @internal
 */
export interface Identity {
  /** `res.users` id, or `null` for an employee without user. */
  odooUserId: number | null;
  /** `hr.employee` id, or `null`. */
  employeeId: number | null;
  /** Name to show. */
  name: string;
  /** E-mail to show, as Odoo spells it, or `null`. */
  email: string | null;
  /** Every canonical mailbox Odoo knows for them. */
  emails: string[];
  /** Every name they bear (user, employee, salesperson), as {@link @odoo-sync/core/matching!nameKey | nameKey} tokens. */
  names: string[][];
  /** Whether neither record is archived. */
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
  /** Hits by {@link @odoo-sync/core/matching!nameKey | nameKey} (user, employee and salesperson names). */
  readonly byNameKey: ReadonlyMap<string, readonly DirectoryHit[]>;
  /** Employee hits by trimmed {@link DirectoryEmployee.employeeNumber}. */
  readonly byEmployeeNumber: ReadonlyMap<string, readonly DirectoryHit[]>;
  /** @internal People for suggestions. */
  readonly identities: readonly Identity[];
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
