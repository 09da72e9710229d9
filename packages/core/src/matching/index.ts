/**
 * Linking a signed-in person to their Odoo identity (`res.users` and/or `hr.employee`). Pure:
 * no I/O, no clock. {@link matchOdooIdentity} tries {@link IdentityStrategy strategies} in
 * order — {@link matchByEmail}, {@link matchByEmployeeNumber}, {@link matchByName},
 * {@link matchBySalesperson} by default —
 * and stops at the first that finds someone. It never guesses: when two different people fit
 * equally, or the records it found disagree, the answer is `ambiguous` with ranked
 * suggestions for an admin.
 *
 * The files, one job each: `types.ts` (the shapes), `text.ts` (normalising and comparing
 * e-mails and names), `directory.ts` (indexing the directory), `suggestions.ts` (scoring and
 * ranking people), `resolve.ts` (the rules every strategy shares), `strategies.ts` (the
 * built-in strategies), `match.ts` ({@link matchOdooIdentity}) and `describe.ts` (sentences
 * for people). A new matching rule is a strategy (`strategies.ts`), or a rule every strategy
 * applies (`resolve.ts`).
 *
 * @example
 * ```ts
 * const result = matchOdooIdentity(
 *   { email: 'Ana.Souza+crm@example.com', name: 'Ana Souza' },
 *   { users, employees, salespersons },
 * );
 * if (result.status === 'matched') link(result.odooUserId, result.employeeId, result.strategy);
 * else reply(describeMatch(result, person), result.suggestions);
 * ```
 * @module @odoo-sync/core/matching
 */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated alias stays exported until its removal
export { describeMatch, describeMatchFailure } from './describe.js';
export { canonicalEmail, employeeOfUser, prepareDirectory } from './directory.js';
export { matchOdooIdentity } from './match.js';
export { resolveHits } from './resolve.js';
export { DEFAULT_STRATEGIES, matchByEmail, matchByEmployeeNumber, matchByName, matchBySalesperson } from './strategies.js';
export { suggestIdentities } from './suggestions.js';
export {
  nameKey,
  type NameOrder,
  nameSimilarity,
  nameTokens,
  normalizeEmail,
  normalizeName,
} from './text.js';
export type {
  ArchivedPolicy,
  BuiltInStrategyName,
  DirectoryEmployee,
  DirectoryHit,
  DirectorySalesperson,
  DirectoryUser,
  HitSource,
  IdentityMatched,
  IdentityMatchResult,
  IdentityNotMatched,
  IdentityStrategy,
  MatchEvidence,
  MatchFailureCode,
  MatchOptions,
  MatchSuggestion,
  OdooDirectory,
  PersonToMatch,
  PreparedDirectory,
  PrepareOptions,
  ResolveRules,
  StrategyAmbiguous,
  StrategyMatched,
  StrategyNotFound,
  StrategyOutcome,
} from './types.js';
