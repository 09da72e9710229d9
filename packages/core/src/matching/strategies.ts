/**
 * The built-in strategies — {@link matchByEmail}, {@link matchByEmployeeNumber},
 * {@link matchByName}, {@link matchBySalesperson} — and their default order.
 * @module
 */
import { displayName } from './describe.js';
import { canonicalEmail, employeeNumberKey, identityOf, personAddresses } from './directory.js';
import { resolveHits } from './resolve.js';
import { toSuggestion } from './suggestions.js';
import { nameKey } from './text.js';
import type { HitSource, IdentityStrategy, PersonToMatch, PreparedDirectory, StrategyAmbiguous, StrategyMatched } from './types.js';

/**
 * Strategy 1: the person's e-mail — and their other addresses
 * ({@link PersonToMatch.otherEmails}) — against Odoo users' `login` and `email` and employees'
 * `work_email`, all through {@link normalizeEmail} (case, spaces, `+tag`). A user and an
 * employee that share the address but are not linked in Odoo are taken as one person: they
 * share a mailbox. Addresses that find two people make the answer `ambiguous`. When only their
 * other addresses find someone, that person must bear their name ({@link nameKey}): an alias
 * can be an address Odoo still gives its former holder (`unverified_alias` otherwise).
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
  const outcome = resolveHits('email', person, directory, hits, {
    matchedOn: 'email',
    value: found.join(', '),
    pairUnlinked: true,
    verifyMailbox: false,
  });
  const own = canonicalEmail(directory, person.email);
  if (outcome.status !== 'matched' || (own !== null && found.includes(own))) return outcome;
  return aliasBearsName(person, directory, outcome) ? outcome : unverifiedAlias(person, directory, outcome, found);
};

/** Whether the person found through their other addresses bears the person's name. */
function aliasBearsName(person: PersonToMatch, directory: PreparedDirectory, outcome: StrategyMatched): boolean {
  const key = nameKey(person.name);
  if (key === null) return false;
  return identityOf(directory, outcome.odooUserId, outcome.employeeId).names.some((tokens) => tokens.join(' ') === key);
}

function unverifiedAlias<S extends string>(person: PersonToMatch, directory: PreparedDirectory, outcome: StrategyMatched<S>, found: readonly string[]): StrategyAmbiguous<S> {
  const candidate = toSuggestion(identityOf(directory, outcome.odooUserId, outcome.employeeId), 1);
  const name = displayName(person);
  const why = name === '' ? 'and there is no name of yours to confirm it is you' : `whose name is not ${name}, so odoo-sync cannot tell whether it is you`;
  return {
    strategy: outcome.strategy,
    status: 'ambiguous',
    code: 'unverified_alias',
    reason: `Odoo gives ${found.join(', ')}, another address of yours, to ${candidate.name}, ${why}.`,
    candidates: [candidate],
  };
}

/**
 * Strategy 2: the person's employee number ({@link PersonToMatch.employeeNumber}, Entra's
 * `employeeId`) against the employee number Odoo holds for each employee
 * ({@link DirectoryEmployee.employeeNumber}), compared exactly (spaces around it ignored). The
 * employee's user comes from its `user_id`. Two employees with the number → `ambiguous`.
 * Skipped when the person or the directory has no employee numbers.
 */
export const matchByEmployeeNumber: IdentityStrategy<'employee_number'> = (person, directory) => {
  const number = employeeNumberKey(person.employeeNumber);
  if (number === null || directory.byEmployeeNumber.size === 0) {
    return { strategy: 'employee_number', status: 'not_found', skipped: true, reason: 'There is no employee number to look for.' };
  }
  const hits = directory.byEmployeeNumber.get(number) ?? [];
  if (hits.length === 0) {
    return { strategy: 'employee_number', status: 'not_found', skipped: false, reason: `No Odoo employee has the employee number ${number}.` };
  }
  return resolveHits('employee_number', person, directory, hits, {
    matchedOn: 'employee_number',
    value: number,
    pairUnlinked: false,
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
 * Strategy 3: the person's name against Odoo users' and employees' names, through
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
 * Strategy 4: the person's name against the salespersons of synced opportunities (gives the
 * Odoo user id, and its employee when it has exactly one). Same rules as {@link matchByName}:
 * users and employees bearing the name are looked at too, so a homonym makes it ambiguous, and
 * the person's mailbox must agree.
 */
export const matchBySalesperson: IdentityStrategy<'salesperson'> = nameStrategy(
  'salesperson',
  ['salesperson'],
  (name) => `No salesperson on synced opportunities is named ${name}.`,
);

/**
 * The built-in strategies in their default order: e-mail, employee number, name, salesperson.
 * The employee number is skipped for people and directories without one.
 */
export const DEFAULT_STRATEGIES: readonly [
  IdentityStrategy<'email'>,
  IdentityStrategy<'employee_number'>,
  IdentityStrategy<'name'>,
  IdentityStrategy<'salesperson'>,
] = [matchByEmail, matchByEmployeeNumber, matchByName, matchBySalesperson];

