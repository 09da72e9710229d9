/**
 * Parsing Odoo domains: prefix (Polish) notation with `&`, `|`, `!` and leaves
 * `[field, operator, value]` into a tree, with Odoo's `ValueError`s for malformed input.
 * @module
 */
import { OdooSimError } from './exceptions.js';

const OPERATORS = new Set([
  '=',
  '!=',
  '<=',
  '<',
  '>',
  '>=',
  '=?',
  '=like',
  '=ilike',
  'like',
  'not like',
  'ilike',
  'not ilike',
  'in',
  'not in',
  'child_of',
  'parent_of',
  'any',
  'not any',
]);

/** A parsed domain. */
export type Node =
  | { kind: 'and' | 'or'; children: Node[] }
  | { kind: 'not'; child: Node }
  | { kind: 'leaf'; field: string; operator: string; value: unknown; raw: unknown[] }
  | { kind: 'const'; value: boolean };

/** Python-ish repr of a domain term, for error messages. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** A leaf as Python prints it, for error messages. */
export function leafRepr(term: unknown[]): string {
  return `(${term.map(pyRepr).join(', ')})`;
}

/** Odoo's `ValueError` for a malformed domain. */
export function valueError(message: string): OdooSimError {
  return new OdooSimError('server_error', message, 'ValueError');
}

/** Parses a domain into a tree; throws Odoo's `ValueError`s for malformed input. */
export function parseDomain(domain: unknown): Node {
  if (domain === undefined || domain === null || domain === false) return { kind: 'and', children: [] };
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${pyRepr(domain)}`);
  let position = 0;
  const parseTerm = (): Node => {
    if (position >= domain.length) throw valueError(`Domain ${pyRepr(domain)} is syntactically not correct.`);
    const term: unknown = domain[position++];
    if (term === '!') return { kind: 'not', child: parseTerm() };
    if (term === '&' || term === '|') {
      const left = parseTerm();
      const right = parseTerm();
      return { kind: term === '&' ? 'and' : 'or', children: [left, right] };
    }
    if (!Array.isArray(term) || term.length !== 3) throw valueError(`Invalid leaf ${pyRepr(term)}`);
    const [field, rawOperator, value] = term as [unknown, unknown, unknown];
    if (field === 1 && rawOperator === '=' && value === 1) return { kind: 'const', value: true };
    if (field === 0 && rawOperator === '=' && value === 1) return { kind: 'const', value: false };
    if (typeof field !== 'string' || typeof rawOperator !== 'string') throw valueError(`Invalid leaf ${leafRepr(term)}`);
    let operator = rawOperator.toLowerCase();
    if (operator === '<>') operator = '!=';
    if (!OPERATORS.has(operator)) throw valueError(`Invalid operator ${pyRepr(rawOperator)} in domain term ${leafRepr(term)}`);
    return { kind: 'leaf', field, operator, value, raw: term };
  };
  const children: Node[] = [];
  while (position < domain.length) children.push(parseTerm());
  return { kind: 'and', children };
}

/** The leaves and sub-trees joined by the top-level AND. */
export function flattenAnd(node: Node): Node[] {
  if (node.kind !== 'and') return [node];
  return node.children.flatMap(flattenAnd);
}
