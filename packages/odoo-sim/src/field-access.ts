/**
 * Which fields a caller may read: the `fields` argument of read/search_read resolved against a
 * model's fields and the caller's rights (HR-private fields need HR rights), with Odoo's errors.
 * @module
 */
import type { Env } from './database.js';
import { OdooSimError } from './exceptions.js';
import type { FieldDef, ModelDef } from './schema.js';

function readable(env: Env, field: FieldDef): boolean {
  return env.su || !field.hrOnly || env.user?.hrOfficer === true;
}

/** How {@link resolveReadableFields} finds a model's available fields. */
export interface FieldLookup {
  /** Every available field. */
  fields(): FieldDef[];
  /** One available field, or `undefined`. */
  field(name: string): FieldDef | undefined;
}

/**
 * The fields `names` asks for on `model`, `id` left out; empty = every readable field. Unknown
 * field → `ValueError`; an HR-private field without HR rights → AccessError naming every such
 * field.
 */
export function resolveReadableFields(env: Env, model: ModelDef, lookup: FieldLookup, names: readonly string[] | undefined): FieldDef[] {
  if (!names || names.length === 0) return lookup.fields().filter((field) => field.name !== 'id' && readable(env, field));
  const out: FieldDef[] = [];
  const forbidden: FieldDef[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const field = lookup.field(name);
    if (!field) throw new OdooSimError('server_error', `Invalid field '${name}' on model '${model.name}'`, 'ValueError');
    if (!readable(env, field)) forbidden.push(field);
    if (name !== 'id') out.push(field);
  }
  if (forbidden.length > 0) {
    throw new OdooSimError(
      'access_error',
      `The requested operation can not be completed due to security restrictions.\n\nDocument type: ${model.description} (${model.name})\nOperation: read\nUser: ${env.uid}\nFields:\n${forbidden
        .map((field) => `- ${field.name} (allowed for groups 'Employees / Officer: Manage all employees')`)
        .join('\n')}`,
    );
  }
  return out;
}
