/**
 * Indexes declared by entity definitions (`defineEntity({ indexes })`): one partial expression
 * index per declared index on the generic `records` table, limited to the entity's rows, named
 * from the entity and the paths, created (if missing) when the store opens. Queries on a declared
 * path use the same expression text, so SQLite matches them to the index.
 * @module
 */
import { type EntityName } from '@odoo-sync/core';
import { type EntityDefinition, entityIndexName } from '@odoo-sync/core/entities';

const NAME = /^[a-z][a-z0-9_]*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The SQL expression of a record path: `json_extract(data, '$.categId.id')`. Paths are identifiers and dots only. */
export function pathExpression(path: string): string {
  if (!PATH.test(path)) throw new TypeError(`Not a record path: ${JSON.stringify(path)}.`);
  return `json_extract(data, '$.${path}')`;
}

/** One declared index: its name and the statement that creates it (idempotent). */
export interface DeclaredIndex {
  /** `records__<entity>__<paths>`. */
  name: string;
  /** `CREATE INDEX IF NOT EXISTS …`. */
  sql: string;
}

/** The indexes the definitions declare. Pure. Entity names and paths were checked by the registry. */
export function declaredIndexes(definitions: readonly EntityDefinition[]): DeclaredIndex[] {
  const indexes: DeclaredIndex[] = [];
  for (const spec of definitions) {
    if (!NAME.test(spec.name)) throw new TypeError(`Not an entity name: ${JSON.stringify(spec.name)}.`);
    for (const index of spec.indexes ?? []) {
      const name = `records__${entityIndexName(spec.name, index)}`;
      const columns = ['entity', ...index.fields.map(pathExpression), 'odoo_id'].join(', ');
      indexes.push({ name, sql: `CREATE INDEX IF NOT EXISTS "${name}" ON records (${columns}) WHERE entity = '${spec.name}'` });
    }
  }
  return indexes;
}

/**
 * Per entity, the paths with a declared index: a query of that entity on such a path names the
 * entity and the path literally (instead of as bound parameters) so the partial index applies.
 */
export function indexedPathsByEntity(definitions: readonly EntityDefinition[]): ReadonlyMap<EntityName, ReadonlySet<string>> {
  const paths = new Map<EntityName, Set<string>>();
  for (const spec of definitions) {
    for (const index of spec.indexes ?? []) {
      const set = paths.get(spec.name) ?? new Set<string>();
      for (const path of index.fields) set.add(path);
      paths.set(spec.name, set);
    }
  }
  return paths;
}
