/**
 * Checks of what {@link OdooClient} is asked (model names, ids) and of what Odoo answers
 * (records, ids, field maps): a typed error instead of a surprise further on.
 * @module
 */
import type { OdooRow } from '@odoo-sync/core';
import { InputError, OdooServerError } from '@odoo-sync/core/errors';
import type { OdooClient } from './client.js';
import type { RequestOptions } from './request-options.js';
import type { OdooFieldInfo, OdooFields } from './values.js';

/** A technical model name like `res.partner`. */
export const MODEL_NAME = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;
/** A public method name. */
export const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** What `fieldsGet` asks for by default. */
export const DEFAULT_FIELD_ATTRIBUTES = ['string', 'type', 'relation', 'required', 'readonly'] as const;
/** What `modelFields` caches. */
export const CACHED_FIELD_ATTRIBUTES = ['string', 'type', 'relation'] as const;

/** {@link InputError} unless `model` is a technical model name. */
export function checkModel(model: unknown): asserts model is string {
  if (typeof model !== 'string' || !MODEL_NAME.test(model)) {
    throw new InputError(`Invalid Odoo model name ${JSON.stringify(model)}; expected e.g. "res.partner".`, [
      { path: 'model', message: 'expected a technical model name like res.partner' },
    ]);
  }
}

/** {@link InputError} unless `ids` are positive integers. */
export function checkIds(ids: unknown): asserts ids is readonly number[] {
  if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id) && (id as number) > 0)) {
    throw new InputError('Record ids must be an array of positive integers.', [{ path: 'ids', message: 'expected positive integers' }]);
  }
}

/** `values` without its `undefined` entries. */
export function compact(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}

/** The `context` keyword argument of a request, when it has one. */
export function contextOf(options: RequestOptions): Record<string, unknown> {
  return options.context === undefined ? {} : { context: { ...options.context } };
}

function isRow(value: unknown): value is OdooRow {
  return value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'number';
}

/** The answer as records, or {@link OdooServerError}. */
export function expectRows(value: unknown, model: string, method: string): OdooRow[] {
  if (Array.isArray(value) && value.every(isRow)) return value;
  throw new OdooServerError(`Odoo answered ${model}.${method} with something that is not a list of records.`);
}

/** The answer as ids, or {@link OdooServerError}. */
export function expectIds(value: unknown, model: string, method: string): number[] {
  if (Array.isArray(value) && value.every((id) => Number.isInteger(id))) return value as number[];
  throw new OdooServerError(`Odoo answered ${model}.${method} with something that is not a list of ids.`);
}

/** The answer of `fields_get` as a field map, or {@link OdooServerError}. */
export function parseFields(value: unknown, model: string): OdooFields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OdooServerError(`Odoo answered ${model}.fields_get with something that is not a field map.`);
  }
  const out: Record<string, OdooFieldInfo> = {};
  for (const [name, info] of Object.entries(value)) {
    if (info !== null && typeof info === 'object' && typeof (info as { type?: unknown }).type === 'string') out[name] = info as OdooFieldInfo;
  }
  return out;
}
