/**
 * From the values a client sends to what a row stores: conversion by field type, x2many
 * commands on many2many fields, defaults, required fields — with Odoo's error messages.
 * @module
 */
import type { Env } from './database.js';
import { pyRepr } from './domain.js';
import { OdooSimError } from './exceptions.js';
import { formatOdooDatetime, parseOdooDateInput, parseOdooDatetimeInput } from './odoo-time.js';
import { applyMailDefaults } from './mail-actions.js';
import type { FieldDef, ModelDef, StoredRow, StoredValue } from './schema.js';

/** What the conversions read from the database. */
export interface WriteHost {
  /** The model definition. */
  model(name: string): ModelDef;
  /** A field available on the model, or `undefined`. */
  field(model: string, name: string): FieldDef | undefined;
  /** Every available field of the model. */
  fields(model: string): FieldDef[];
  /** A row by id (archived included). */
  row(model: string, id: number): StoredRow | undefined;
  /** Rows matching a domain (used for default stages). */
  search(env: Env, model: string, domain: unknown, options?: { limit?: number }): StoredRow[];
  /** `display_name` of a row, `''` when it does not exist. */
  displayName(model: string, id: number): string;
}

/** Fields Odoo manages itself: only the superuser may set the dates and uids (dataset import). */
export const MAGIC_FIELDS = new Set(['id', 'display_name', 'create_uid', 'create_date', 'write_uid', 'write_date']);

/** The stored form of `vals` for create/write; one2many commands are returned to apply after the row exists. */
export function convertVals(host: WriteHost, env: Env, model: string, vals: Record<string, unknown>, creating: boolean): { values: Record<string, StoredValue>; x2many: [FieldDef, unknown][] } {
  const values: Record<string, StoredValue> = {};
  const x2many: [FieldDef, unknown][] = [];
  for (const [name, raw] of Object.entries(vals)) {
    const field = host.field(model, name);
    if (!field) throw new OdooSimError('server_error', `Invalid field '${name}' on model '${model}'`, 'ValueError');
    if (MAGIC_FIELDS.has(name)) {
      if (env.su && (name === 'write_date' || name === 'create_date') && typeof raw === 'string') {
        const parsed = parseOdooDatetimeInput(raw);
        if (parsed === undefined) throw new OdooSimError('server_error', `Invalid datetime for ${name}: ${pyRepr(raw)}`, 'ValueError');
        values[name] = parsed.slice(0, 19);
      } else if (env.su && (name === 'write_uid' || name === 'create_uid') && typeof raw === 'number') {
        values[name] = raw;
      }
      continue;
    }
    if (field.compute || (field.readonly && !env.su)) continue;
    if (field.type === 'one2many') {
      x2many.push([field, raw]);
      continue;
    }
    if (field.type === 'many2many') {
      const current = creating ? [] : undefined;
      values[name] = m2mCommands(host, model, field, raw, current);
      continue;
    }
    values[name] = convertScalar(host, model, field, raw);
  }
  return { values, x2many };
}

/** The stored form of one scalar or many2one value (Odoo's errors for values that do not fit). */
export function convertScalar(host: WriteHost, model: string, field: FieldDef, raw: unknown): StoredValue {
  const empty = raw === false || raw === null || raw === undefined;
  switch (field.type) {
    case 'boolean':
      return Boolean(raw) && raw !== 0;
    case 'integer':
    case 'many2one_reference': {
      if (empty) return 0;
      const num = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(num)) throw new OdooSimError('server_error', `invalid literal for int() with base 10: ${pyRepr(raw)}`, 'ValueError');
      return Math.trunc(num);
    }
    case 'float':
    case 'monetary': {
      if (empty) return 0;
      const num = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(num)) throw new OdooSimError('server_error', `could not convert string to float: ${pyRepr(raw)}`, 'ValueError');
      return num;
    }
    case 'date': {
      if (empty) return false;
      const parsed = typeof raw === 'string' ? parseOdooDateInput(raw) : undefined;
      if (parsed === undefined) throw new OdooSimError('server_error', `time data ${pyRepr(raw)} does not match format '%Y-%m-%d'`, 'ValueError');
      return parsed;
    }
    case 'datetime': {
      if (empty) return false;
      const parsed = typeof raw === 'string' ? parseOdooDatetimeInput(raw) : undefined;
      if (parsed === undefined) throw new OdooSimError('server_error', `time data ${pyRepr(raw)} does not match format '%Y-%m-%d %H:%M:%S'`, 'ValueError');
      return parsed.slice(0, 19);
    }
    case 'selection': {
      if (empty) return false;
      const value = String(raw);
      if (!field.selection?.some(([key]) => key === value)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
      return value;
    }
    case 'many2one': {
      if (empty) return false;
      const id: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
      if (typeof id !== 'number' || !Number.isInteger(id)) throw new OdooSimError('server_error', `invalid input syntax for type integer: ${pyRepr(raw)}`, 'psycopg2.errors.InvalidTextRepresentation');
      if (!host.row(field.relation as string, id)) throw fkError(host, model, field);
      return id;
    }
    default: {
      if (empty) return false;
      return typeof raw === 'string' ? raw : String(raw);
    }
  }
}

/** The validation error of a many2one/many2many pointing at a row that does not exist. */
export function fkError(host: Pick<WriteHost, 'model'>, model: string, field: FieldDef): OdooSimError {
  const def = host.model(model);
  return new OdooSimError(
    'validation_error',
    `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${model})\nConstraint: ${model.replace(/\./g, '_')}_${field.name}_fkey\n`,
  );
}

/** Applies x2many commands (`[6,0,ids]`, `[4,id]`, `[3,id]`, `[5]`, or a plain id list) to a many2many. */
export function m2mCommands(host: WriteHost, model: string, field: FieldDef, raw: unknown, current: readonly number[] | undefined): readonly number[] {
  let ids = [...(current ?? [])];
  const relation = field.relation as string;
  const check = (id: unknown): number => {
    if (typeof id !== 'number' || !host.row(relation, id)) throw fkError(host, model, field);
    return id;
  };
  if (raw === false || raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
  if (raw.every((item) => typeof item === 'number')) return [...new Set(raw.map(check))];
  for (const command of raw) {
    if (!Array.isArray(command)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
    const [code, id, payload] = command as [unknown, unknown, unknown];
    if (code === 6) ids = [...new Set((Array.isArray(payload) ? payload : []).map(check))];
    else if (code === 5) ids = [];
    else if (code === 4) {
      const linked = check(id);
      if (!ids.includes(linked)) ids.push(linked);
    } else if (code === 3) ids = ids.filter((existing) => existing !== id);
    else throw new OdooSimError('server_error', `Unsupported x2many command ${pyRepr(command)} on ${model}.${field.name}`, 'ValueError');
  }
  return ids;
}

/** Fills in field defaults and the per-model defaults Odoo computes (company, currency, stage, …). */
export function applyDefaults(host: WriteHost, now: () => Date, env: Env, model: string, values: Record<string, StoredValue>): void {
  for (const field of host.fields(model)) {
    if (values[field.name] === undefined && field.default !== undefined && !MAGIC_FIELDS.has(field.name) && field.type !== 'one2many') {
      values[field.name] = Array.isArray(field.default) ? [...(field.default as readonly number[])] : field.default;
    }
  }
  const hasCompany = host.row('res.company', 1) !== undefined;
  if (model === 'crm.lead') {
    if (values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
    if (values['user_id'] === undefined && host.row('res.users', env.uid)) values['user_id'] = env.uid;
    if (values['stage_id'] === undefined && values['type'] !== 'lead') {
      const [stage] = host.search({ uid: 1, su: true, context: {} }, 'crm.stage', [], { limit: 1 });
      if (stage) values['stage_id'] = stage.id;
    }
  }
  if (model === 'account.move') {
    if (values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
    if (values['currency_id'] === undefined) {
      const company = host.row('res.company', typeof values['company_id'] === 'number' ? values['company_id'] : 1);
      if (company && typeof company['currency_id'] === 'number') values['currency_id'] = company['currency_id'];
    }
    if (values['date'] === undefined) values['date'] = values['invoice_date'] ?? formatOdooDatetime(now()).slice(0, 10);
  }
  if (model === 'crm.team' && values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
  if (model === 'mail.activity' || model === 'mail.message') applyMailDefaults(host, now, env, model, values);
  if (model === 'res.users') {
    if (values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
    if (values['company_ids'] === undefined && typeof values['company_id'] === 'number') values['company_ids'] = [values['company_id']];
    if (values['name'] === undefined && typeof values['login'] === 'string') values['name'] = values['login'];
  }
}

/** Throws Odoo's validation error when a required field is not set. */
export function checkRequired(host: WriteHost, model: string, values: Record<string, StoredValue>): void {
  for (const field of host.fields(model)) {
    if (!field.required) continue;
    const value = values[field.name];
    if (value === undefined || value === false) {
      const def = host.model(model);
      throw new OdooSimError(
        'validation_error',
        `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${model})\nField: ${field.string} (${field.name})\n`,
      );
    }
  }
}
