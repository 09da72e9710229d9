/**
 * The rules every strategy shares ({@link resolveHits}): from the records a strategy found to
 * its answer — prefer active records, one person or none, Odoo's own user/employee link, and
 * the person's mailbox agreeing with a name.
 * @module
 */
import { displayName } from './describe.js';
import { canonicalEmail, employeeOfUser, identityOf, knownEmails, personAddresses } from './directory.js';
import { compareSuggestions, suggestionKey, toSuggestion } from './suggestions.js';
import { emailDomain, localPartSpellsName } from './text.js';
import type {
  DirectoryEmployee,
  DirectoryHit,
  HitSource,
  MatchEvidence,
  MatchSuggestion,
  PersonToMatch,
  PreparedDirectory,
  ResolveRules,
  StrategyAmbiguous,
  StrategyNotFound,
  StrategyOutcome,
} from './types.js';

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

function describeLookup(rules: ResolveRules, person: PersonToMatch): string {
  if (rules.matchedOn === 'email') return `the e-mail ${rules.value}`;
  if (rules.matchedOn === 'employee_number') return `the employee number ${rules.value}`;
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

