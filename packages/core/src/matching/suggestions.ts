/**
 * Suggestions: how close an Odoo person is to the person to link, and the closest ones, ranked.
 * @module
 */
import { canonicalEmail } from './directory.js';
import { emailSimilarity, localPartTokens, nameSimilarity, nameTokens } from './text.js';
import type { Identity, MatchSuggestion, PersonToMatch, PreparedDirectory } from './types.js';

/** Most suggestions an answer carries. */
export const MAX_SUGGESTIONS = 5;

/** A suggestion showing `identity`, its score rounded to three decimals. */
export function toSuggestion(identity: Identity, score: number): MatchSuggestion {
  const suggestion: MatchSuggestion = { name: identity.name, email: identity.email, score: Math.round(score * 1000) / 1000 };
  if (identity.odooUserId !== null) suggestion.odooUserId = identity.odooUserId;
  if (identity.employeeId !== null) suggestion.employeeId = identity.employeeId;
  return suggestion;
}

/** Suggestion order: best score first, then by name, then by ids (deterministic). */
export function compareSuggestions(a: MatchSuggestion, b: MatchSuggestion): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const byUser = (a.odooUserId ?? 0) - (b.odooUserId ?? 0);
  return byUser !== 0 ? byUser : (a.employeeId ?? 0) - (b.employeeId ?? 0);
}

/** What makes two suggestions the same person: their user and employee ids. */
export function suggestionKey(suggestion: MatchSuggestion): string {
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


/** `first` then `rest`, each person once, at most `max`. */
export function mergeSuggestions(first: readonly MatchSuggestion[], rest: readonly MatchSuggestion[], max: number): MatchSuggestion[] {
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

