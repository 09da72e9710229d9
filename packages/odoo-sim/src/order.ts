/**
 * Odoo `order` specifications ("write_date asc, id asc", "name desc nulls last") parsed and
 * compiled to sort keys with PostgreSQL's NULL placement (ASC: NULLS LAST, DESC: NULLS FIRST).
 * A many2one orders by its target model's own default order, as Odoo does.
 * @module
 */
import { OdooSimError } from './exceptions.js';
import type { FieldDef, ModelDef, StoredRow, StoredValue } from './schema.js';

/** One key of an order specification. */
export interface OrderTerm {
  /** Field name. */
  readonly field: string;
  /** Descending. */
  readonly desc: boolean;
  /** Where empty values go. */
  readonly nullsFirst: boolean;
}

const TERM = /^\s*("?)([a-z0-9_:]+)\1(?:\.id)?(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;

/** Parses an order string; throws Odoo's `ValueError` for a malformed one. */
export function parseOrder(order: string): OrderTerm[] {
  const terms: OrderTerm[] = [];
  for (const part of order.split(',')) {
    const match = TERM.exec(part);
    if (!match) {
      throw new OdooSimError(
        'server_error',
        `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
        'ValueError',
      );
    }
    const desc = (match[3] ?? 'asc').toLowerCase() === 'desc';
    const nulls = match[4]?.toLowerCase();
    terms.push({ field: match[2] as string, desc, nullsFirst: nulls ? nulls === 'first' : desc });
  }
  return terms;
}

/** What compiling an order needs from the database. */
export interface OrderHost {
  /** The model definition. */
  model(name: string): ModelDef;
  /** A field available on the model, or `undefined`. */
  field(model: string, name: string): FieldDef | undefined;
  /** The value of a field on a row. */
  value(model: string, row: StoredRow, field: FieldDef): StoredValue;
  /** A row by id. */
  row(model: string, id: number): StoredRow | undefined;
}

/** A sort key: scalars, `undefined` for NULL, nested arrays for many2one targets. */
export type SortKey = string | number | undefined | readonly SortKey[];

/** A compiled order: compute each row's key once, then compare keys. */
export interface CompiledOrder {
  /** The row's sort key. */
  key(row: StoredRow): SortKey[];
  /** Compares two keys; negative when the first comes first. */
  compare(a: readonly SortKey[], b: readonly SortKey[]): number;
}

function scalar(field: FieldDef, value: StoredValue): string | number | undefined {
  if (field.type === 'boolean') return value === true ? 1 : 0;
  if (value === false || value === undefined || Array.isArray(value)) return undefined;
  return value as string | number;
}

/**
 * Compiles an order specification. Throws Odoo's `ValueError` for unknown or non-stored fields.
 */
export function compileOrder(host: OrderHost, model: string, terms: readonly OrderTerm[], depth = 0): CompiledOrder {
  const parts = terms.map((term) => {
    const field = host.field(model, term.field);
    if (!field) throw new OdooSimError('server_error', `Invalid field '${term.field}' on model '${model}'`, 'ValueError');
    if (!field.store || field.type === 'one2many' || field.type === 'many2many') {
      throw new OdooSimError('server_error', `Cannot convert ${model}.${term.field} to SQL because it is not stored`, 'ValueError');
    }
    const direction = term.desc ? -1 : 1;
    const nulls = term.nullsFirst ? -1 : 1;
    if (field.type === 'many2one' && depth < 2) {
      const relation = field.relation as string;
      const inner = compileOrder(host, relation, parseOrder(host.model(relation).order), depth + 1);
      return {
        key(row: StoredRow): SortKey {
          const id = host.value(model, row, field);
          const target = typeof id === 'number' ? host.row(relation, id) : undefined;
          return target ? [...inner.key(target), target.id] : undefined;
        },
        compare(a: SortKey, b: SortKey): number {
          if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? nulls : -nulls;
          const ka = a as SortKey[];
          const kb = b as SortKey[];
          const c = inner.compare(ka.slice(0, -1), kb.slice(0, -1)) || (ka[ka.length - 1] as number) - (kb[kb.length - 1] as number);
          return c * direction;
        },
      };
    }
    return {
      key: (row: StoredRow): SortKey => scalar(field, host.value(model, row, field)),
      compare(a: SortKey, b: SortKey): number {
        if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? nulls : -nulls;
        return (a < b ? -1 : a > b ? 1 : 0) * direction;
      },
    };
  });
  return {
    key: (row) => parts.map((part) => part.key(row)),
    compare(a, b) {
      for (let i = 0; i < parts.length; i++) {
        const c = (parts[i] as (typeof parts)[number]).compare(a[i], b[i]);
        if (c !== 0) return c;
      }
      return 0;
    },
  };
}
