/**
 * one2many commands (`[0,0,vals]`, `[1,id,vals]`, `[2,id]`, `[3,id]`, `[4,id]`, `[5]`, `[6,0,ids]`)
 * applied once the parent row exists: they create, write or unlink rows of the related model.
 * @module
 */
import type { Env } from './database.js';
import { pyRepr } from './domain.js';
import { OdooSimError } from './exceptions.js';
import type { FieldDef } from './schema.js';

/** What applying one2many commands does to the database. */
export interface X2manyHost {
  /** Creates rows; returns their ids. */
  create(env: Env, model: string, valsList: readonly Record<string, unknown>[]): number[];
  /** Updates rows. */
  write(env: Env, model: string, ids: readonly number[], vals: Record<string, unknown>): void;
  /** Deletes rows. */
  unlink(env: Env, model: string, ids: readonly number[]): void;
  /** Ids of the rows of `model` whose many2one `field` points at `id`. */
  inverse(model: string, field: string, id: number): readonly number[];
}

/** Applies the one2many commands of a create/write to the row `id` of `model`. */
export function applyX2many(host: X2manyHost, env: Env, model: string, id: number, commands: readonly [FieldDef, unknown][]): void {
  for (const [field, raw] of commands) {
    const relation = field.relation as string;
    const inverse = field.inverseName as string;
    const linked = (): readonly number[] => host.inverse(relation, inverse, id);
    const items = raw === false || raw === null || raw === undefined ? [[5]] : raw;
    if (!Array.isArray(items)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
    const asCommands = items.every((item) => typeof item === 'number') ? [[6, 0, items]] : items;
    for (const command of asCommands) {
      if (!Array.isArray(command)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
      const [code, target, payload] = command as [unknown, unknown, unknown];
      if (code === 0) {
        host.create(env, relation, [{ ...(payload as Record<string, unknown>), [inverse]: id }]);
      } else if (code === 1 && typeof target === 'number') {
        host.write(env, relation, [target], payload as Record<string, unknown>);
      } else if (code === 2 && typeof target === 'number') {
        host.unlink(env, relation, [target]);
      } else if (code === 3 && typeof target === 'number') {
        host.write(env, relation, [target], { [inverse]: false });
      } else if (code === 4 && typeof target === 'number') {
        host.write(env, relation, [target], { [inverse]: id });
      } else if (code === 5) {
        const current = linked();
        if (current.length) host.write(env, relation, [...current], { [inverse]: false });
      } else if (code === 6) {
        const wanted = new Set((Array.isArray(payload) ? payload : []).filter((v): v is number => typeof v === 'number'));
        const removed = linked().filter((existing) => !wanted.has(existing));
        if (removed.length) host.write(env, relation, removed, { [inverse]: false });
        const added = [...wanted].filter((existing) => !linked().includes(existing));
        if (added.length) host.write(env, relation, added, { [inverse]: id });
      } else {
        throw new OdooSimError('server_error', `Unsupported x2many command ${pyRepr(command)} on ${model}.${field.name}`, 'ValueError');
      }
    }
  }
}
