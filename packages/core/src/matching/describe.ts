/**
 * Sentences for people: what the strategies looked for and did not find, and
 * {@link describeMatch}, one sentence about a match result.
 * @module
 */
import { personAddresses } from './directory.js';
import { normalizeEmail } from './text.js';
import type { IdentityMatchResult, MatchSuggestion, PersonToMatch, PreparedDirectory, StrategyNotFound } from './types.js';

/** No alias domains: {@link personAddresses} then gives the addresses as the person typed them, normalised. */
const AS_TYPED: Pick<PreparedDirectory, 'domainAliases'> = { domainAliases: new Map() };

/** A person's name as typed, with runs of spaces collapsed, for sentences; `''` for none. */
export function displayName(person: PersonToMatch): string {
  return person.name?.trim().replace(/\s+/gu, ' ') ?? '';
}

const BUILT_IN: readonly string[] = ['email', 'name', 'salesperson'];

/** One sentence for what the strategies looked for and did not find. */
export function notFoundSentence(person: PersonToMatch, misses: readonly StrategyNotFound[]): string {
  const names = new Set(misses.map((miss) => miss.strategy));
  const emails = personAddresses(AS_TYPED, person);
  const name = displayName(person);
  const looked: string[] = [];
  if (names.has('email') && emails.length > 0) looked.push(`the e-mail ${emails.join(' or ')}`);
  if ((names.has('name') || names.has('salesperson')) && name !== '') looked.push(`the name ${name}`);
  if (names.has('employee_number') && typeof person.employeeNumber === 'string' && person.employeeNumber.trim() !== '') {
    looked.push(`the employee number ${person.employeeNumber.trim()}`);
  }
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

const STRATEGY_WORDS: Readonly<Record<string, string>> = {
  email: 'e-mail',
  employee_number: 'employee number',
  name: 'name',
  salesperson: 'salesperson name',
};

/**
 * A sentence a salesperson understands about a match result. For a `matched` result it says how
 * the link was made ("Linked to Odoo by e-mail (ana.souza@x.com)."); otherwise why nobody was
 * linked and who is closest, e.g. "No Odoo user or employee has the e-mail ana@x.com. Closest:
 * Ana Souza (ana.souza@x.com) — ask an admin to link you." Names at most three suggestions.
 */
export function describeMatch(result: IdentityMatchResult<string>, person: PersonToMatch): string {
  if (result.status === 'matched') {
    const how = STRATEGY_WORDS[result.strategy] ?? result.strategy;
    const own = normalizeEmail(person.email);
    // The person's own spelling of their e-mail, unless another of their addresses made the link.
    const email = own !== null && (result.evidence.value === own || (person.otherEmails ?? []).length === 0) ? own : result.evidence.value;
    const shown = result.evidence.matchedOn === 'email' ? email : result.evidence.matchedOn === 'employee_number' ? result.evidence.value : displayName(person) || result.evidence.value;
    return `Linked to Odoo by ${how} (${shown}).`;
  }
  const lead = result.reason;
  const shown = result.suggestions.slice(0, 3).map(formatSuggestion);
  if (shown.length === 0) return `${lead} Ask an admin to link you.`;
  const label = result.status === 'ambiguous' ? 'Candidates' : 'Closest';
  return `${lead} ${label}: ${formatList(shown)} — ask an admin to link you.`;
}

/**
 * The former name of {@link describeMatch}, which describes successes as well as failures.
 * @deprecated Use {@link describeMatch}; this name will be removed in a future major version.
 */
export function describeMatchFailure(result: IdentityMatchResult<string>, person: PersonToMatch): string {
  return describeMatch(result, person);
}
