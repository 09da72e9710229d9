/**
 * A fast path in front of zod for the record schemas entities use: a zod schema built only from
 * the pieces listed below is compiled once into plain checks. A value the checks accept is one
 * zod accepts too, and the copy made of it is deep-equal to zod's output (same keys, same order);
 * anything the checks do not accept goes to zod itself, so every error stays zod's. The compiled
 * schema also writes the canonical JSON of its output (what `stableHash` hashes) without sorting
 * keys per record.
 *
 * Compiled pieces: `z.object` (strict or stripping; no catchall schema), `z.string()` with
 * `min`/`regex` checks and the `z.iso.datetime()` format, `z.number()` with `int` and
 * `positive`/`nonnegative`-style bounds, `z.boolean()`, `z.literal` and `z.enum` of strings,
 * numbers and booleans, `z.array` without checks, `.nullable()`. Anything else (a refinement, a
 * transform, a default, an optional member, coercion, a union...) makes the whole schema
 * uncompiled: `compileSchema` returns `undefined` and zod does all the work, as before.
 *
 * The checks are data interpreted by three monomorphic functions (no closure per schema piece):
 * V8 optimises one `switch` far better than a call site that sees many closures.
 * @module
 */
import type { z } from 'zod';

const STRING = 0;
const NUMBER = 1;
const BOOLEAN = 2;
const VALUES = 3;
const ARRAY = 4;
const OBJECT = 5;

/** One compiled piece of a schema. Every node has every field, so all have one hidden class. */
export interface SchemaNode {
  /** What the piece is: string, number, boolean, a set of values, array or object. */
  readonly kind: number;
  /** `.nullable()`: `null` is accepted as it is. */
  readonly nullable: boolean;
  /** Strings: shortest length. */
  readonly minLength: number;
  /** Strings: regexes the value must match. */
  readonly patterns: readonly RegExp[];
  /** Numbers: must be a safe integer. */
  readonly safeInt: boolean;
  /** Numbers: exclusive lower bound. */
  readonly above: number;
  /** Numbers: inclusive lower bound. */
  readonly atLeast: number;
  /** Numbers: exclusive upper bound. */
  readonly below: number;
  /** Numbers: inclusive upper bound. */
  readonly atMost: number;
  /** Literals and enums: the accepted values. */
  readonly values: ReadonlySet<unknown> | null;
  /** Arrays: the element. */
  readonly element: SchemaNode | null;
  /** Objects: keys in shape order. */
  readonly keys: readonly string[];
  /** Objects: the node of each key, in shape order. */
  readonly members: readonly SchemaNode[];
  /** Objects: the keys, to look up. */
  readonly known: ReadonlySet<string> | null;
  /** Objects: unknown keys are rejected (`.strict()`), not stripped. */
  readonly strict: boolean;
  /** Objects: keys in sorted order, for canonical JSON. */
  readonly sortedKeys: readonly string[];
  /** Objects: the node of each sorted key. */
  readonly sortedMembers: readonly SchemaNode[];
  /** Objects: `"key":` of each sorted key. */
  readonly prefixes: readonly string[];
  /** The same prefixes after a comma. */
  readonly commaPrefixes: readonly string[];
}

/** A compiled zod schema: see the module comment. */
export interface CompiledSchema {
  /** The compiled root (an object). */
  readonly root: SchemaNode;
  /** True only when zod accepts `value` and its output is `copy(value)`. */
  readonly accept: (value: unknown) => boolean;
  /** zod's output for a value `accept` took. */
  readonly copy: (value: unknown) => unknown;
  /** Canonical JSON (`canonicalJson`) of an output of this schema. */
  readonly write: (value: unknown) => string;
}

interface ZodDef {
  type: string;
  checks?: readonly { _zod: { def: ZodCheckDef } }[];
  coerce?: boolean;
  [key: string]: unknown;
}

interface ZodCheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  value?: unknown;
  inclusive?: boolean;
  when?: unknown;
  [key: string]: unknown;
}

const defOf = (schema: unknown): ZodDef | undefined => (schema as { _zod?: { def?: ZodDef } } | null)?._zod?.def;

/** Only the listed keys may appear in a def: an unknown one may change what zod accepts. */
function onlyKeys(def: object, allowed: readonly string[]): boolean {
  for (const key of Object.keys(def)) if (!allowed.includes(key)) return false;
  return true;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function node(kind: number): Mutable<SchemaNode> {
  return {
    kind,
    nullable: false,
    minLength: 0,
    patterns: [],
    safeInt: false,
    above: Number.NEGATIVE_INFINITY,
    atLeast: Number.NEGATIVE_INFINITY,
    below: Number.POSITIVE_INFINITY,
    atMost: Number.POSITIVE_INFINITY,
    values: null,
    element: null,
    keys: [],
    members: [],
    known: null,
    strict: false,
    sortedKeys: [],
    sortedMembers: [],
    prefixes: [],
    commaPrefixes: [],
  };
}

/** Adds one check of a string or number to `out`; false when it is not one compiled. */
function addCheck(out: Mutable<SchemaNode>, check: ZodCheckDef): boolean {
  if (check.when !== undefined && check.check !== 'min_length') return false;
  if (out.kind === STRING) {
    if (check.check === 'min_length' && typeof check.minimum === 'number') {
      out.minLength = Math.max(out.minLength, check.minimum);
      return true;
    }
    if (check.check === 'string_format' && check.format === 'regex' && check.pattern instanceof RegExp) {
      out.patterns = [...out.patterns, check.pattern];
      return true;
    }
    return false;
  }
  if (check.check === 'number_format' && check.format === 'safeint') {
    out.safeInt = true;
    return true;
  }
  if ((check.check === 'greater_than' || check.check === 'less_than') && typeof check.value === 'number') {
    const value = check.value;
    if (check.check === 'greater_than') {
      if (check.inclusive === true) out.atLeast = Math.max(out.atLeast, value);
      else out.above = Math.max(out.above, value);
    } else if (check.inclusive === true) out.atMost = Math.min(out.atMost, value);
    else out.below = Math.min(out.below, value);
    return true;
  }
  return false;
}

function addChecks(out: Mutable<SchemaNode>, def: ZodDef): boolean {
  for (const check of def.checks ?? []) if (!addCheck(out, check._zod.def)) return false;
  return true;
}

function compileNode(schema: unknown, depth: number): Mutable<SchemaNode> | undefined {
  const def = defOf(schema);
  if (!def || depth > 8 || def.coerce === true) return undefined;
  switch (def.type) {
    case 'string': {
      const out = node(STRING);
      if (def.format === undefined) {
        if (!onlyKeys(def, ['type', 'checks', 'error'])) return undefined;
      } else if (def.format === 'datetime' && def['check'] === 'string_format' && def['pattern'] instanceof RegExp) {
        // z.iso.datetime(): the schema is its own regex check.
        if (!onlyKeys(def, ['type', 'format', 'check', 'offset', 'local', 'precision', 'pattern', 'checks', 'error', 'abort'])) return undefined;
        out.patterns = [def['pattern']];
      } else return undefined;
      return addChecks(out, def) ? out : undefined;
    }
    case 'number': {
      if (!onlyKeys(def, ['type', 'checks', 'error'])) return undefined;
      const out = node(NUMBER);
      return addChecks(out, def) ? out : undefined;
    }
    case 'boolean':
      if (!onlyKeys(def, ['type', 'checks', 'error']) || (def.checks ?? []).length > 0) return undefined;
      return node(BOOLEAN);
    case 'literal':
    case 'enum': {
      if (!onlyKeys(def, ['type', 'values', 'entries', 'error']) || (def.checks ?? []).length > 0) return undefined;
      let values: unknown[];
      if (def.type === 'literal') values = def['values'] as unknown[];
      else {
        // zod leaves out the reverse mappings of a numeric TypeScript enum: only `z.enum([...])`
        // of strings (each key its own value) is compiled.
        const entries = Object.entries(def['entries'] as Record<string, unknown>);
        if (!entries.every(([key, value]) => key === value)) return undefined;
        values = entries.map(([, value]) => value);
      }
      if (!Array.isArray(values) || values.length === 0) return undefined;
      if (!values.every((value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')) return undefined;
      const out = node(VALUES);
      out.values = new Set(values);
      return out;
    }
    case 'nullable': {
      if (!onlyKeys(def, ['type', 'innerType', 'error']) || (def.checks ?? []).length > 0) return undefined;
      const inner = compileNode(def['innerType'], depth + 1);
      if (!inner) return undefined;
      inner.nullable = true;
      return inner;
    }
    case 'array': {
      if (!onlyKeys(def, ['type', 'element', 'error']) || (def.checks ?? []).length > 0) return undefined;
      const element = compileNode(def['element'], depth + 1);
      if (!element) return undefined;
      const out = node(ARRAY);
      out.element = element;
      return out;
    }
    case 'object':
      return compileObject(def, depth);
    default:
      return undefined;
  }
}

function compileObject(def: ZodDef, depth: number): Mutable<SchemaNode> | undefined {
  if (!onlyKeys(def, ['type', 'shape', 'catchall', 'error']) || (def.checks ?? []).length > 0) return undefined;
  // No catchall strips unknown keys; `never` (strict) rejects them; any other catchall keeps them.
  const catchall = def['catchall'];
  const out = node(OBJECT);
  if (catchall !== undefined) {
    if (defOf(catchall)?.type !== 'never') return undefined;
    out.strict = true;
  }
  const shape = def['shape'] as Record<string, unknown>;
  const keys = Object.keys(shape);
  // JSON.stringify puts array-index keys first, whatever the order: left to the general hasher.
  if (keys.some((key) => /^\d/.test(key) || key === '__proto__')) return undefined;
  const members: SchemaNode[] = [];
  for (const key of keys) {
    const member = compileNode(shape[key], depth + 1);
    if (!member) return undefined;
    members.push(member);
  }
  const sorted = keys.map((key, index) => ({ key, index })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  out.keys = keys;
  out.members = members;
  out.known = new Set(keys);
  out.sortedKeys = sorted.map(({ key }) => key);
  out.sortedMembers = sorted.map(({ index }) => members[index]!);
  out.prefixes = sorted.map(({ key }) => `${JSON.stringify(key)}:`);
  out.commaPrefixes = out.prefixes.map((prefix) => `,${prefix}`);
  return out;
}

/** True only when zod accepts `value` for `schema` (and its output is `copyValue`'s). */
export function acceptValue(schema: SchemaNode, value: unknown): boolean {
  if (value === null) return schema.nullable;
  switch (schema.kind) {
    case STRING: {
      if (typeof value !== 'string' || value.length < schema.minLength) return false;
      const patterns = schema.patterns;
      for (let i = 0; i < patterns.length; i++) {
        const pattern = patterns[i]!;
        pattern.lastIndex = 0;
        if (!pattern.test(value)) return false;
      }
      return true;
    }
    case NUMBER:
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!schema.safeInt || Number.isSafeInteger(value)) &&
        value > schema.above &&
        value >= schema.atLeast &&
        value < schema.below &&
        value <= schema.atMost
      );
    case BOOLEAN:
      return typeof value === 'boolean';
    case VALUES:
      return schema.values!.has(value);
    case ARRAY: {
      if (!Array.isArray(value)) return false;
      const element = schema.element!;
      for (let i = 0; i < value.length; i++) if (!acceptValue(element, value[i])) return false;
      return true;
    }
    case OBJECT: {
      if (typeof value !== 'object' || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const { keys, members } = schema;
      for (let i = 0; i < keys.length; i++) if (!acceptValue(members[i]!, record[keys[i]!])) return false;
      if (schema.strict) {
        const known = schema.known!;
        for (const key in record) if (!known.has(key)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** zod's output for a value `acceptValue` took: objects and arrays are new, in shape order. */
export function copyValue(schema: SchemaNode, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (schema.kind === ARRAY) {
    const items = value as unknown[];
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = copyValue(schema.element!, items[i]);
    return out;
  }
  const record = value as Record<string, unknown>;
  const { keys, members } = schema;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = copyValue(members[i]!, record[keys[i]!]);
  return out;
}

/** Needs JSON escaping: a quote, a backslash, a control character or a surrogate (paired or not). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify` of a string, without its cost for the common string that needs no escaping. */
export function quoteJson(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Canonical JSON (`canonicalJson`'s output) of an output of `schema`. */
export function writeValue(schema: SchemaNode, value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteJson(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (schema.kind === ARRAY) {
    const items = value as unknown[];
    let out = '[';
    for (let i = 0; i < items.length; i++) out += (i > 0 ? ',' : '') + writeValue(schema.element!, items[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const { sortedKeys, sortedMembers, prefixes, commaPrefixes } = schema;
  let out = '';
  for (let i = 0; i < sortedKeys.length; i++) {
    const member = record[sortedKeys[i]!];
    if (member === undefined) continue;
    // Strings, numbers and null written here: one call fewer for nearly every member.
    const json =
      typeof member === 'string'
        ? quoteJson(member)
        : member === null
          ? 'null'
          : typeof member === 'number' && Number.isFinite(member)
            ? String(member)
            : writeValue(sortedMembers[i]!, member);
    out += (out === '' ? prefixes[i]! : commaPrefixes[i]!) + json;
  }
  return `{${out}}`;
}

const compiled = new WeakMap<object, CompiledSchema | null>();

/**
 * The compiled form of a record schema (remembered per schema), or `undefined` when it uses
 * something the fast path does not cover. Pure apart from that memory.
 */
export function compileSchema(schema: z.ZodType): CompiledSchema | undefined {
  let out = compiled.get(schema);
  if (out === undefined) {
    let root: SchemaNode | undefined;
    try {
      root = defOf(schema)?.type === 'object' ? compileNode(schema, 0) : undefined;
    } catch {
      root = undefined;
    }
    out = root
      ? {
          root,
          accept: (value) => acceptValue(root, value),
          copy: (value) => copyValue(root, value),
          write: (value) => writeValue(root, value),
        }
      : null;
    compiled.set(schema, out);
  }
  return out ?? undefined;
}
