/**
 * The built-in strategies — {@link matchByEmail}, {@link matchByName},
 * {@link matchBySalesperson} — and their default order.
 * @module
 */
import { displayName } from './describe.js';
import { personAddresses } from './directory.js';
import { resolveHits } from './resolve.js';
import { nameKey } from './text.js';
import type { HitSource, IdentityStrategy } from './types.js';

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

