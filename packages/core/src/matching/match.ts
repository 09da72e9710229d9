/**
 * {@link matchOdooIdentity}: checks its options, tries the strategies in order and turns the
 * first answer into the result, with suggestions.
 * @module
 */
import { notFoundSentence } from './describe.js';
import { isPrepared, prepareDirectory } from './directory.js';
import { DEFAULT_STRATEGIES } from './strategies.js';
import { MAX_SUGGESTIONS, mergeSuggestions, suggestIdentities } from './suggestions.js';
import type {
  BuiltInStrategyName,
  IdentityMatchResult,
  IdentityStrategy,
  MatchOptions,
  OdooDirectory,
  PersonToMatch,
  PreparedDirectory,
  PrepareOptions,
  StrategyNotFound,
} from './types.js';

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

