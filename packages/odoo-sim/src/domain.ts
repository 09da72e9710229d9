/**
 * Odoo domains: prefix (Polish) notation with `&`, `|`, `!` and leaves `[field, operator, value]`,
 * compiled to a row predicate with Odoo's NULL semantics (e.g. `!=` and `not in` also match
 * empty values). Also extracts the top-level `id` / `write_date` bounds the query planner uses.
 * @module
 */
import { narrowIds, narrowText } from './domain-bounds.js';
import { compileLeaf } from './domain-leaves.js';
import { flattenAnd, type Node, parseDomain } from './domain-parse.js';
import type { FieldDef, ModelDef, StoredRow, StoredValue } from './schema.js';

export { pyRepr } from './domain-parse.js';

/** What the compiler needs from the database. */
export interface DomainHost {
  /** The model definition. */
  model(name: string): ModelDef;
  /** A field available on the model (version, installed modules), or `undefined`. */
  field(model: string, name: string): FieldDef | undefined;
  /** The stored or computed value of a field on a row. */
  value(model: string, row: StoredRow, field: FieldDef): StoredValue;
  /** A function reading a field of rows, the same as `value` (faster when it can be). */
  reader?(model: string, field: FieldDef): (row: StoredRow) => StoredValue;
  /** A row by id (archived included). */
  row(model: string, id: number): StoredRow | undefined;
  /** `display_name` of a row. */
  displayName(model: string, id: number): string;
}

/** Row predicate. */
export type RowTest = (row: StoredRow) => boolean;

/** Inclusive id bounds implied by the top-level AND of a domain. */
export interface IdBounds {
  /** Smallest id that can match. */
  low: number;
  /** Largest id that can match. */
  high: number;
}

/** `write_date` bounds implied by the top-level AND of a domain (normalised text). */
export interface TextBounds {
  /** Lower bound, if any. */
  low?: string;
  /** Whether `low` itself matches. */
  lowInclusive: boolean;
  /** Upper bound, if any. */
  high?: string;
  /** Whether `high` itself matches. */
  highInclusive: boolean;
}

/** A compiled domain. */
export interface CompiledDomain {
  /** True when the row matches. */
  readonly test: RowTest;
  /** Whether a leaf names `active` (then Odoo's implicit `active = True` filter is off). */
  readonly mentionsActive: boolean;
  /** Id bounds from top-level leaves. */
  readonly idBounds: IdBounds;
  /** `write_date` bounds from top-level leaves. */
  readonly writeDateBounds: TextBounds;
  /** True when the domain is empty (matches everything). */
  readonly matchesAll: boolean;
}

/**
 * Compiles a domain against a model.
 *
 * @param host the database
 * @param model model name
 * @param domain the domain as the client sent it
 */
export function compileDomain(host: DomainHost, model: string, domain: unknown): CompiledDomain {
  const tree = parseDomain(domain);
  let mentionsActive = false;

  const compileNode = (node: Node): RowTest => {
    switch (node.kind) {
      case 'const':
        return node.value ? () => true : () => false;
      case 'not': {
        const inner = compileNode(node.child);
        return (row) => !inner(row);
      }
      case 'and':
      case 'or': {
        const parts = node.children.map(compileNode);
        if (parts.length === 0) return () => true;
        if (parts.length === 1) return parts[0] as RowTest;
        if (parts.length === 2) {
          // The common case (an entity's domain and one bound), without a callback per part.
          const [a, b] = parts as [RowTest, RowTest];
          return node.kind === 'and' ? (row) => a(row) && b(row) : (row) => a(row) || b(row);
        }
        if (node.kind === 'and') return (row) => parts.every((part) => part(row));
        return (row) => parts.some((part) => part(row));
      }
      case 'leaf':
        if (node.field === 'active' || node.field.startsWith('active.')) mentionsActive = true;
        return compileLeaf(host, model, node.field, node.operator, node.value, node.raw);
    }
  };

  const test = compileNode(tree);
  const idBounds: IdBounds = { low: 1, high: Number.MAX_SAFE_INTEGER };
  const writeDateBounds: TextBounds = { lowInclusive: true, highInclusive: true };
  if (tree.kind === 'and') {
    for (const child of flattenAnd(tree)) {
      if (child.kind !== 'leaf') continue;
      if (child.field === 'id') narrowIds(idBounds, child.operator, child.value);
      if (child.field === 'write_date') narrowText(writeDateBounds, child.operator, child.value);
    }
  }
  const matchesAll = tree.kind === 'and' && tree.children.length === 0;
  return { test, mentionsActive, idBounds, writeDateBounds, matchesAll };
}
