/**
 * Compiling domain leaves to row predicates with Odoo's NULL semantics (e.g. `!=` and `not in`
 * also match empty values): scalar, boolean, x2many, by-name, `any` and hierarchy operators.
 * @module
 */
import { compileDomain, type DomainHost, type RowTest } from './domain.js';
import { leafRepr, pyRepr, valueError } from './domain-parse.js';
import { OdooSimError } from './exceptions.js';
import { parseOdooDateInput, parseOdooDatetimeInput } from './odoo-time.js';
import type { FieldDef, StoredRow, StoredValue } from './schema.js';

function likeRegex(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
}

function pyStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  return String(value);
}

const isEmptyValue = (value: unknown) => value === false || value === null || value === undefined;

/** A comparable form of a client value for a field, or `undefined` when the value is "no value". */
function coerce(field: FieldDef, value: unknown): string | number | undefined {
  if (isEmptyValue(value)) return undefined;
  switch (field.type) {
    case 'integer':
    case 'many2one_reference':
    case 'float':
    case 'monetary':
    case 'many2one': {
      const num = typeof value === 'number' ? value : Number(value);
      if (Number.isNaN(num)) {
        throw new OdooSimError('server_error', `invalid input syntax for type integer: ${pyRepr(String(value))}`, 'psycopg2.errors.InvalidTextRepresentation');
      }
      return num;
    }
    case 'date': {
      const parsed = typeof value === 'string' ? parseOdooDateInput(value) : undefined;
      if (parsed === undefined) throw new OdooSimError('server_error', `invalid input syntax for type date: ${pyRepr(pyStr(value))}`, 'psycopg2.errors.InvalidDatetimeFormat');
      return parsed;
    }
    case 'datetime': {
      const parsed = typeof value === 'string' ? parseOdooDatetimeInput(value) : undefined;
      if (parsed === undefined) {
        throw new OdooSimError('server_error', `invalid input syntax for type timestamp: ${pyRepr(pyStr(value))}`, 'psycopg2.errors.InvalidDatetimeFormat');
      }
      return parsed;
    }
    default:
      return pyStr(value);
  }
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A predicate for one leaf `[path, operator, value]` of `model`. */
export function compileLeaf(host: DomainHost, model: string, path: string, operator: string, value: unknown, raw: unknown[]): RowTest {
  const dot = path.indexOf('.');
  if (dot > 0) {
    // Odoo turns `partner_id.name` into `partner_id any [('name', op, value)]`.
    const head = path.slice(0, dot);
    const field = host.field(model, head);
    if (!field || !field.relation || !['many2one', 'one2many', 'many2many'].includes(field.type)) {
      throw valueError(`Invalid field ${model}.${path} in leaf ${leafRepr(raw)}`);
    }
    return anyLeaf(host, model, field, [[path.slice(dot + 1), operator, value]], false);
  }
  const field = host.field(model, path);
  if (!field) throw valueError(`Invalid field ${model}.${path} in leaf ${leafRepr(raw)}`);

  if (operator === '=?') {
    if (isEmptyValue(value)) return () => true;
    operator = '=';
  }
  if (operator === 'any' || operator === 'not any') {
    if (!field.relation) throw valueError(`Operator ${operator} is not supported on ${model}.${path}`);
    return anyLeaf(host, model, field, value, operator === 'not any');
  }
  if (operator === 'child_of' || operator === 'parent_of') return hierarchyLeaf(host, model, field, operator, value, raw);

  const read = host.reader ? host.reader(model, field) : (row: StoredRow) => host.value(model, row, field);
  switch (field.type) {
    case 'boolean':
      return booleanLeaf(read, operator, value);
    case 'one2many':
    case 'many2many':
      return x2manyLeaf(host, field, read, operator, value);
    case 'many2one':
      if (typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string'))) {
        return many2oneByName(host, field, read, operator, value);
      }
      return scalarLeaf(field, read, operator, value);
    default:
      return scalarLeaf(field, read, operator, value);
  }
}

function booleanLeaf(read: (row: StoredRow) => StoredValue, operator: string, value: unknown): RowTest {
  const truthy = (v: unknown) => v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && v !== '' && v.toLowerCase() !== 'false');
  switch (operator) {
    case '=': {
      const wanted = truthy(value);
      return (row) => truthy(read(row)) === wanted;
    }
    case '!=': {
      const wanted = truthy(value);
      return (row) => truthy(read(row)) !== wanted;
    }
    case 'in':
    case 'not in': {
      const list = (Array.isArray(value) ? value : [value]).map(truthy);
      const positive = operator === 'in';
      return (row) => list.includes(truthy(read(row))) === positive;
    }
    default: {
      const target = truthy(value) ? 1 : 0;
      return (row) => {
        const current = truthy(read(row)) ? 1 : 0;
        return compareOp(operator, current, target);
      };
    }
  }
}

function compareOp(operator: string, a: string | number, b: string | number): boolean {
  const c = compare(a, b);
  switch (operator) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return false;
  }
}

function storedComparable(field: FieldDef, raw: StoredValue): string | number | undefined {
  if (raw === false || raw === undefined) {
    return field.type === 'integer' || field.type === 'many2one_reference' || field.type === 'float' || field.type === 'monetary' ? 0 : undefined;
  }
  if (typeof raw === 'number' || typeof raw === 'string') return raw;
  if (raw === true) return 'True';
  return undefined;
}

function scalarLeaf(field: FieldDef, read: (row: StoredRow) => StoredValue, operator: string, value: unknown): RowTest {
  const numeric = field.type === 'integer' || field.type === 'many2one_reference' || field.type === 'float' || field.type === 'monetary';
  const get = (row: StoredRow) => storedComparable(field, read(row));
  switch (operator) {
    case '=': {
      const target = numeric && isEmptyValue(value) ? 0 : coerce(field, value);
      if (target === undefined) return (row) => get(row) === undefined;
      return (row) => get(row) === target;
    }
    case '!=': {
      const target = numeric && isEmptyValue(value) ? 0 : coerce(field, value);
      if (target === undefined) return (row) => get(row) !== undefined;
      return (row) => get(row) !== target;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const target = coerce(field, value);
      if (target === undefined) return () => false;
      // One comparison per operator, chosen once rather than on every row (as compareOp decides).
      const passes =
        operator === '<'
          ? (current: string | number) => current < target
          : operator === '<='
            ? (current: string | number) => !(current > target)
            : operator === '>'
              ? (current: string | number) => current > target
              : (current: string | number) => !(current < target);
      return (row) => {
        const current = get(row);
        return current !== undefined && passes(current);
      };
    }
    case 'in':
    case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      const checkNull = list.some(isEmptyValue);
      const set = new Set(list.filter((v) => !isEmptyValue(v)).map((v) => coerce(field, v)));
      if (operator === 'in') return (row) => {
        const current = get(row);
        return current === undefined ? checkNull : set.has(current);
      };
      return (row) => {
        const current = get(row);
        return current === undefined ? !checkNull : !set.has(current);
      };
    }
    default:
      return likeLeaf((row) => {
        const current = get(row);
        return current === undefined ? undefined : String(current);
      }, operator, value);
  }
}

function likeLeaf(get: (row: StoredRow) => string | undefined, operator: string, value: unknown): RowTest {
  const text = pyStr(value);
  const pattern = operator === '=like' || operator === '=ilike' ? text : `%${text}%`;
  const regex = likeRegex(pattern, operator.includes('ilike'));
  const negative = operator.startsWith('not ');
  return (row) => {
    const current = get(row);
    if (current === undefined) return negative;
    return regex.test(current) !== negative;
  };
}

function many2oneByName(host: DomainHost, field: FieldDef, read: (row: StoredRow) => StoredValue, operator: string, value: unknown): RowTest {
  const relation = field.relation as string;
  const names = (Array.isArray(value) ? value : [value]).map(pyStr);
  const negative = operator === '!=' || operator === 'not in' || operator.startsWith('not ');
  let matchName: (name: string) => boolean;
  if (operator === '=' || operator === '!=' || operator === 'in' || operator === 'not in') {
    const set = new Set(names);
    matchName = (name) => set.has(name);
  } else {
    const positive = operator.replace(/^not /, '');
    const regexes = names.map((name) => likeRegex(positive.startsWith('=') ? name : `%${name}%`, positive.includes('ilike')));
    matchName = (name) => regexes.some((regex) => regex.test(name));
  }
  return (row) => {
    const id = read(row);
    if (typeof id !== 'number') return negative;
    return matchName(host.displayName(relation, id)) !== negative;
  };
}

function x2manyLeaf(host: DomainHost, field: FieldDef, read: (row: StoredRow) => StoredValue, operator: string, value: unknown): RowTest {
  const ids = (row: StoredRow): readonly number[] => {
    const current = read(row);
    return Array.isArray(current) ? (current as number[]) : [];
  };
  if (isEmptyValue(value) && (operator === '=' || operator === '!=')) {
    return operator === '=' ? (row) => ids(row).length === 0 : (row) => ids(row).length > 0;
  }
  const list = Array.isArray(value) ? value : [value];
  const negative = operator === '!=' || operator === 'not in' || operator.startsWith('not ');
  if (list.some((v) => typeof v === 'string')) {
    const relation = field.relation as string;
    const positive = operator.replace(/^not /, '').replace('!=', '=').replace('in', '=');
    const names = list.map(pyStr);
    const matchName =
      positive === '='
        ? (name: string) => names.includes(name)
        : ((regexes: RegExp[]) => (name: string) => regexes.some((regex) => regex.test(name)))(
            names.map((name) => likeRegex(positive.startsWith('=') ? name : `%${name}%`, positive.includes('ilike'))),
          );
    return (row) => ids(row).some((id) => matchName(host.displayName(relation, id))) !== negative;
  }
  const wanted = new Set(list.filter((v): v is number => typeof v === 'number'));
  if (!['=', '!=', 'in', 'not in'].includes(operator)) throw valueError(`Operator ${operator} is not supported on x2many field ${field.name}`);
  return (row) => ids(row).some((id) => wanted.has(id)) !== negative;
}

function anyLeaf(host: DomainHost, model: string, field: FieldDef, subdomain: unknown, negative: boolean): RowTest {
  const relation = field.relation as string;
  const sub = compileDomain(host, relation, subdomain);
  const read = host.reader ? host.reader(model, field) : (row: StoredRow) => host.value(model, row, field);
  return (row) => {
    const current = read(row);
    const ids = typeof current === 'number' ? [current] : Array.isArray(current) ? (current as number[]) : [];
    const found = ids.some((id) => {
      const target = host.row(relation, id);
      return target !== undefined && sub.test(target);
    });
    return found !== negative;
  };
}

function hierarchyLeaf(host: DomainHost, model: string, field: FieldDef, operator: string, value: unknown, raw: unknown[]): RowTest {
  // `id child_of X` walks the model's own parent_id; `m2o child_of X` walks the target model's.
  const hierarchyModel = field.name === 'id' ? model : field.relation;
  if (!hierarchyModel || !host.field(hierarchyModel, 'parent_id')) {
    throw valueError(`Invalid field ${model}.${field.name} in leaf ${leafRepr(raw)}: no parent hierarchy`);
  }
  const roots = new Set((Array.isArray(value) ? value : [value]).filter((v): v is number => typeof v === 'number'));
  const parentField = host.field(hierarchyModel, 'parent_id') as FieldDef;
  const parentOf = (id: number): number | undefined => {
    const row = host.row(hierarchyModel, id);
    const parent = row ? host.value(hierarchyModel, row, parentField) : false;
    return typeof parent === 'number' ? parent : undefined;
  };
  let test: (id: number) => boolean;
  if (operator === 'child_of') {
    test = (id) => {
      let current: number | undefined = id;
      for (let depth = 0; current !== undefined && depth < 64; depth++) {
        if (roots.has(current)) return true;
        current = parentOf(current);
      }
      return false;
    };
  } else {
    const ancestors = new Set<number>();
    for (const root of roots) {
      let current: number | undefined = root;
      for (let depth = 0; current !== undefined && depth < 64; depth++) {
        ancestors.add(current);
        current = parentOf(current);
      }
    }
    test = (id) => ancestors.has(id);
  }
  if (field.name === 'id') return (row) => test(row.id);
  return (row) => {
    const current = host.value(model, row, field);
    const ids = typeof current === 'number' ? [current] : Array.isArray(current) ? (current as number[]) : [];
    return ids.some(test);
  };
}
