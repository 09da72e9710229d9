/**
 * What deleting rows does to the rows that point at them, as PostgreSQL's foreign keys do:
 * `restrict` fails, `cascade` deletes, `set null` clears (without moving `write_date`).
 * @module
 */
import { OdooSimError } from './exceptions.js';
import type { Table } from './table.js';

/** The rows to delete in turn and the fields to clear, for deleting `doomed` rows of `table`. */
export interface UnlinkPlan {
  /** Rows of other models to delete too (`ondelete='cascade'`), by model. */
  cascades: [string, number[]][];
  /** Fields to clear: table, field name, whether it is a many2many. */
  clears: [Table, string, boolean][];
}

/** Plans the effect of deleting `doomed` rows of `table` on every table; throws for `restrict`. */
export function planUnlink(tables: Iterable<Table>, table: Table, model: string, doomed: ReadonlySet<number>): UnlinkPlan {
  const cascades: [string, number[]][] = [];
  const clears: [Table, string, boolean][] = [];
  for (const other of tables) {
    for (const field of other.def.fields.values()) {
      if (field.relation !== model || !field.store || field.compute) continue;
      if (field.type === 'many2one') {
        const hits: number[] = [];
        for (const row of other.rows.values()) {
          const target = row[field.name];
          if (typeof target === 'number' && doomed.has(target) && !(other === table && doomed.has(row.id))) hits.push(row.id);
        }
        if (hits.length === 0) continue;
        const ondelete = field.ondelete ?? 'set null';
        if (ondelete === 'restrict') {
          throw new OdooSimError(
            'validation_error',
            `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${other.def.description} (${other.def.name})\nConstraint: ${other.def.name.replace(/\./g, '_')}_${field.name}_fkey\n`,
          );
        }
        if (ondelete === 'cascade') cascades.push([other.def.name, hits]);
        else clears.push([other, field.name, false]);
      } else if (field.type === 'many2many') {
        clears.push([other, field.name, true]);
      }
    }
  }
  return { cascades, clears };
}

/** Clears the references to `doomed` rows the plan found. */
export function clearReferences(clears: UnlinkPlan['clears'], doomed: ReadonlySet<number>): void {
  for (const [other, fieldName, isMany] of clears) {
    let changed = false;
    for (const row of other.rows.values()) {
      const current = row[fieldName];
      if (isMany ? Array.isArray(current) && (current as number[]).some((id) => doomed.has(id)) : typeof current === 'number' && doomed.has(current)) {
        const next = isMany ? (current as number[]).filter((id) => !doomed.has(id)) : false;
        other.put({ ...row, [fieldName]: next });
        changed = true;
      }
    }
    if (changed) other.touch();
  }
}
