/**
 * `defineEntity`: one synced entity as data — which Odoo model and rows, which fields, how a row
 * becomes the stored record (and the schema it must satisfy), what the read API filters and
 * searches on, which indexes a store keeps, what happens to records deleted in Odoo, which other
 * entities it points at, and the read route it gets. The six built-in entities are defined the
 * same way; an application adds its own without editing odoo-sync.
 * @module
 */
import { z } from 'zod';
import type { ActivityEvent } from '../activity/event.js';
import type { ActivityProjection, ActivityProjectionContext } from '../activity/projection.js';
import { EntityDefinitionError, type InputIssue } from '../errors.js';
import { camelCase, isoDateSchema, isoDatetimeSchema, many2OneSchema, type Many2One } from './odoo-values.js';

/** Name of a synced entity (`contact`, `product`): lower-case letters, digits and `_`. */
export type EntityName = string;

/** An Odoo domain operator. */
export type DomainOperator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'in'
  | 'not in'
  | 'like'
  | 'ilike'
  | 'not like'
  | 'not ilike'
  | '=?'
  | 'child_of'
  | 'parent_of';

/** A value in a domain leaf. */
export type DomainValue = string | number | boolean | null | readonly (string | number | boolean)[];

/** One term of an Odoo domain in prefix (Polish) notation. */
export type DomainTerm = '&' | '|' | '!' | readonly [field: string, operator: DomainOperator, value: DomainValue];

/** An Odoo domain: a list of terms, implicitly AND-ed. */
export type OdooDomain = readonly DomainTerm[];

/** A row as an Odoo adapter returns it: `id` plus the requested fields, raw or already normalised. */
export interface OdooRow {
  /** Odoo record id. */
  id: number;
  /** Field values by Odoo field name. */
  [field: string]: unknown;
}

/** How one Odoo field is read and normalised. */
export type FieldKind = 'text' | 'number' | 'boolean' | 'many2one' | 'date' | 'datetime' | 'ids';

/** Every {@link FieldKind}, for checks. */
export const FIELD_KINDS: readonly FieldKind[] = ['text', 'number', 'boolean', 'many2one', 'date', 'datetime', 'ids'];

/** One field of an entity: the Odoo field name and its kind; the record key is its camelCase form. */
export interface FieldSpec {
  /** Odoo field name, e.g. `work_email`. */
  readonly odoo: string;
  /** How its value is normalised. */
  readonly kind: FieldKind;
  /**
   * For a `many2one`: the Odoo model it points at (`res.partner`). Declared so that when a record
   * of that model is deleted, the synced records pointing at it are read again: Odoo clears
   * such a field in the database (`ON DELETE SET NULL`) without a new `write_date`, so an
   * incremental run would never see the change.
   */
  readonly relation?: string;
}

/**
 * An index a store keeps on an entity's records, on dotted paths of the record (`categId.id`,
 * `defaultCode`). Stores name it deterministically from the entity and the paths.
 */
export interface EntityIndex {
  /** Dotted paths of the record, in index order. */
  readonly fields: readonly string[];
}

/**
 * What happens to a stored record when Odoo no longer has it (deleted, or gone from the domain):
 * `soft-delete` marks it deleted (behind the mass-deletion guard); `keep` never looks for
 * deletions (for append-only models, or when reading every id is too costly).
 */
export type DeletionPolicy = 'soft-delete' | 'keep';

/** The read route of an entity: `GET /api/<path>` and `GET /api/<path>/:odooId`. */
export interface EntityRoute {
  /** URL segment, e.g. `products`: lower-case letters, digits and `-`. */
  readonly path: string;
}

/**
 * Describes one synced entity. Specs are plain data plus a schema (and an optional mapping
 * function): safe to share. Build one with {@link defineEntity}.
 */
export interface EntitySpec<N extends EntityName = EntityName, D extends { odooId: number } = { odooId: number }> {
  /** Entity name, e.g. `contact`. */
  readonly name: N;
  /** Human label, plural, e.g. `Contacts`. */
  readonly label: string;
  /** Odoo model, e.g. `res.partner`. */
  readonly model: string;
  /** Odoo module that provides the model, for messages when it is missing. */
  readonly module: string;
  /** Which rows of the model belong to this entity. */
  readonly domain: OdooDomain;
  /** Fields read from Odoo (besides `id`, `write_date` and `active`). */
  readonly fields: readonly FieldSpec[];
  /** Whether the model has an `active` field (archived rows exist). */
  readonly hasActive: boolean;
  /** Keys of the normalised record searched by a free-text `q`. */
  readonly searchKeys: readonly string[];
  /** Named equality filters of the read API → dotted path inside the record. */
  readonly filters: Readonly<Record<string, string>>;
  /** zod schema of the normalised record. */
  readonly schema: z.ZodType<D>;
  /** Indexes a store keeps for this entity (besides the one on `odooId`). */
  readonly indexes?: readonly EntityIndex[];
  /**
   * What happens to records Odoo no longer has.
   * @default 'soft-delete'
   */
  readonly deletion?: DeletionPolicy;
  /**
   * Largest share (0–1) of this entity's stored records one run may soft-delete without
   * `force`, for entities whose records Odoo deletes as a matter of course (a scheduled activity
   * is deleted when it is done).
   * @default the Reconciler's `maxDeleteRatio`
   */
  readonly maxDeleteRatio?: number;
  /**
   * Entities this one points at, synced before it in a run. Entities whose model a `many2one`
   * field's `relation` names count as well, without being listed.
   */
  readonly references?: readonly EntityName[];
  /**
   * Where each record points at a record of another model by model name and id rather than
   * through a many2one (chatter does: `res_model` + `res_id`). The entity runs after every synced
   * entity of `models` (as if it listed them in {@link EntitySpec.references}; an entity of such
   * a model that is not synced is no dependency), and when such an entity stores a record for
   * the first time, the records of this entity attached to it are projected again (their
   * activities then name it).
   */
  readonly attachedTo?: AttachedTo;
  /** The read route, or none (the entity is synced but not served). */
  readonly route?: EntityRoute;
  /**
   * Turns the record built from the fields (camelCase keys, normalised values) into the stored
   * shape before the schema checks it. Pure. By default the record is stored as built.
   */
  readonly toRecord?: (record: Record<string, unknown>, row: OdooRow) => unknown;
  /**
   * Makes timeline activities from the records a sync inserts or updates (Odoo's own activity:
   * scheduled calls, logged notes). The Reconciler hands them to its `projector` before it
   * stores the records, so a failure is retried with them. None by default. (A method, so that
   * a definition of a narrower record type is still an {@link EntityDefinition}.)
   */
  activities?(records: readonly D[], context: ActivityProjectionContext): Promise<readonly ActivityEvent[]>;
}

/**
 * How the records of an entity point at records of other models by model name and id (Odoo's
 * chatter: `res_model` + `res_id`), as {@link EntitySpec.attachedTo} declares it.
 *
 * @example
 * ```ts
 * attachedTo: { models: ['crm.lead', 'res.partner'], model: 'resModel', id: 'resId' }
 * ```
 */
export interface AttachedTo {
  /** The Odoo models the records may point at. */
  readonly models: readonly string[];
  /** Dotted path of the model name in the stored record, e.g. `resModel`. */
  readonly model: string;
  /** Dotted path of the id in the stored record, e.g. `resId`. */
  readonly id: string;
}

/** A definition of any entity, as registries and stores take it. */
export type EntityDefinition = EntitySpec<EntityName, { odooId: number }>;

/** `work_email` → `workEmail`, at the type level (as `camelCase` does at run time). */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** The normalised value of each {@link FieldKind}. */
export interface FieldValueOf {
  text: string | null;
  number: number | null;
  boolean: boolean | null;
  many2one: Many2One | null;
  date: string | null;
  datetime: string | null;
  ids: number[];
}

/** The record built from a list of fields (when no schema is given): `odooId` plus one key per field. */
export type RecordOfFields<F extends readonly FieldSpec[]> = { odooId: number } & {
  -readonly [K in F[number] as CamelCase<K['odoo']>]: FieldValueOf[K['kind']];
};

const SCHEMA_OF_KIND: Record<FieldKind, () => z.ZodType> = {
  text: () => z.string().nullable(),
  number: () => z.number().nullable(),
  boolean: () => z.boolean().nullable(),
  many2one: () => many2OneSchema.nullable(),
  date: () => isoDateSchema.nullable(),
  datetime: () => isoDatetimeSchema.nullable(),
  ids: () => z.array(z.number().int().positive()),
};

/** The strict zod schema of the record built from `fields`: what {@link defineEntity} uses when given no schema. */
export function schemaOfFields(fields: readonly FieldSpec[]): z.ZodType<{ odooId: number }> {
  const shape: Record<string, z.ZodType> = { odooId: z.number().int().positive() };
  for (const field of fields) shape[camelCase(field.odoo)] = (SCHEMA_OF_KIND[field.kind] ?? SCHEMA_OF_KIND.text)();
  return z.object(shape).strict() as unknown as z.ZodType<{ odooId: number }>;
}

/** What {@link defineEntity} takes: an {@link EntitySpec} whose defaults may be left out. */
export interface EntityDefinitionInput<N extends EntityName, F extends readonly FieldSpec[], D extends { odooId: number }> {
  /** Entity name: lower-case letters, digits and `_`, starting with a letter. */
  readonly name: N;
  /** Odoo model, e.g. `product.template`. */
  readonly model: string;
  /** Fields read from Odoo (besides `id`, `write_date` and `active`). */
  readonly fields: F;
  /** Human label, plural. @default the name */
  readonly label?: string;
  /** Odoo module that provides the model. @default 'base' */
  readonly module?: string;
  /** Which rows of the model belong to the entity. @default [] (all) */
  readonly domain?: OdooDomain;
  /** Whether the model has an `active` field. @default true */
  readonly hasActive?: boolean;
  /** Record keys searched by a free-text `q`. @default [] */
  readonly searchKeys?: readonly string[];
  /** Named equality filters → dotted path in the record. @default {} */
  readonly filters?: Readonly<Record<string, string>>;
  /** zod schema of the stored record. @default the strict schema of the fields ({@link schemaOfFields}) */
  readonly schema?: z.ZodType<D>;
  /** See {@link EntitySpec.indexes}. */
  readonly indexes?: readonly EntityIndex[];
  /** See {@link EntitySpec.deletion}. */
  readonly deletion?: DeletionPolicy;
  /** See {@link EntitySpec.references}. */
  readonly references?: readonly EntityName[];
  /** See {@link EntitySpec.attachedTo}. */
  readonly attachedTo?: AttachedTo;
  /** See {@link EntitySpec.maxDeleteRatio}. */
  readonly maxDeleteRatio?: number;
  /** See {@link EntitySpec.route}. */
  readonly route?: EntityRoute;
  /** See {@link EntitySpec.toRecord}. */
  readonly toRecord?: (record: Record<string, unknown>, row: OdooRow) => unknown;
  /** See {@link EntitySpec.activities}. */
  readonly activities?: ActivityProjection<D>;
}

const NAME = /^[a-z][a-z0-9_]{0,39}$/;
const ODOO_FIELD = /^[a-z_][a-z0-9_]*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const ROUTE = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Defines an entity. The record type is inferred: from `schema` when given, otherwise from the
 * fields (`list_price: 'number'` → `listPrice: number | null`). Throws
 * {@link EntityDefinitionError} naming every problem (unknown field kind, duplicate field,
 * a filter, search key or index on a key the record does not have, a bad name or route).
 *
 * @example
 * ```ts
 * const product = defineEntity({
 *   name: 'product',
 *   label: 'Products',
 *   model: 'product.template',
 *   module: 'product',
 *   fields: [
 *     { odoo: 'name', kind: 'text' },
 *     { odoo: 'list_price', kind: 'number' },
 *     { odoo: 'categ_id', kind: 'many2one', relation: 'product.category' },
 *   ],
 *   searchKeys: ['name'],
 *   filters: { category: 'categId.id' },
 *   indexes: [{ fields: ['categId.id'] }],
 *   route: { path: 'products' },
 * });
 * ```
 */
export function defineEntity<
  const N extends EntityName,
  const F extends readonly FieldSpec[],
  D extends { odooId: number } = RecordOfFields<F>,
>(input: EntityDefinitionInput<N, F, D>): EntitySpec<N, D> {
  if (input === null || typeof input !== 'object') throw new EntityDefinitionError('An entity definition must be an object.');
  const spec: EntitySpec<N, D> = {
    name: input.name,
    label: input.label ?? input.name,
    model: input.model,
    module: input.module ?? 'base',
    domain: input.domain ?? [],
    fields: Array.isArray(input.fields) ? input.fields : [],
    hasActive: input.hasActive ?? true,
    searchKeys: input.searchKeys ?? [],
    filters: input.filters ?? {},
    schema: input.schema ?? (schemaOfFields(Array.isArray(input.fields) ? input.fields : []) as unknown as z.ZodType<D>),
    indexes: input.indexes ?? [],
    deletion: input.deletion ?? 'soft-delete',
    references: input.references ?? [],
    ...(input.attachedTo === undefined ? {} : { attachedTo: input.attachedTo }),
    ...(input.maxDeleteRatio === undefined ? {} : { maxDeleteRatio: input.maxDeleteRatio }),
    ...(input.route === undefined ? {} : { route: input.route }),
    ...(input.toRecord === undefined ? {} : { toRecord: input.toRecord }),
    ...(input.activities === undefined ? {} : { activities: input.activities }),
  };
  const issues = checkDefinition(spec, Array.isArray(input.fields));
  if (issues.length > 0) {
    throw new EntityDefinitionError(`Entity "${input.name as unknown as string}" is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`, issues);
  }
  return Object.freeze(spec);
}

/** The top-level keys of the stored record, when the schema is a zod object (otherwise unknown). */
function recordKeys(spec: EntityDefinition): Set<string> | null {
  if (spec.toRecord !== undefined || !(spec.schema instanceof z.ZodObject)) return null;
  return new Set(Object.keys(spec.schema.shape));
}

/** Problems of one definition on its own (a registry checks names and references across). Pure. */
export function checkDefinition(spec: EntityDefinition, fieldsAreList = true): InputIssue[] {
  const issues: InputIssue[] = [];
  const at = (path: string, message: string) => issues.push({ path: `${spec.name}.${path}`, message });
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) at('name', 'expected lower-case letters, digits and _ (1–40), starting with a letter');
  if (typeof spec.model !== 'string' || !/^[a-z][a-z0-9_.]*$/.test(spec.model)) at('model', 'expected an Odoo model name such as product.template');
  if (!fieldsAreList) at('fields', 'expected a list of { odoo, kind }');
  if (!(spec.schema instanceof z.ZodType)) at('schema', 'expected a zod schema');
  const seen = new Set<string>();
  spec.fields.forEach((field, index) => {
    if (typeof field?.odoo !== 'string' || !ODOO_FIELD.test(field.odoo)) at(`fields.${index}.odoo`, 'expected an Odoo field name');
    else if (['id', 'write_date', 'active'].includes(field.odoo)) at(`fields.${index}.odoo`, `${field.odoo} is always read; do not list it`);
    else if (seen.has(field.odoo)) at(`fields.${index}.odoo`, `${field.odoo} is listed twice`);
    else seen.add(field.odoo);
    if (!FIELD_KINDS.includes(field?.kind)) at(`fields.${index}.kind`, `unknown kind ${JSON.stringify(field?.kind)}; expected one of ${FIELD_KINDS.join(', ')}`);
    if (field?.relation !== undefined && field.kind !== 'many2one') at(`fields.${index}.relation`, 'only a many2one field points at a model');
  });
  const keys = recordKeys(spec);
  const checkPath = (path: unknown, where: string) => {
    if (typeof path !== 'string' || !PATH.test(path)) at(where, `expected a dotted path of the record, got ${JSON.stringify(path)}`);
    else if (keys && !keys.has(path.split('.')[0] as string)) at(where, `the record has no key "${path.split('.')[0] ?? ''}"`);
  };
  spec.searchKeys.forEach((key, index) => {
    checkPath(key, `searchKeys.${index}`);
  });
  for (const [name, path] of Object.entries(spec.filters)) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) at(`filters.${name}`, 'a filter name is letters and digits');
    if (['q', 'include', 'limit', 'cursor'].includes(name)) at(`filters.${name}`, 'this query parameter is taken by the read API');
    checkPath(path, `filters.${name}`);
  }
  (spec.indexes ?? []).forEach((index, i) => {
    if (!Array.isArray(index?.fields) || index.fields.length === 0 || index.fields.length > 4) at(`indexes.${i}.fields`, 'expected 1 to 4 paths');
    else index.fields.forEach((path, j) => {
      checkPath(path, `indexes.${i}.fields.${j}`);
    });
  });
  if (spec.deletion !== undefined && spec.deletion !== 'soft-delete' && spec.deletion !== 'keep') {
    at('deletion', `expected soft-delete or keep, got ${JSON.stringify(spec.deletion)}`);
  }
  if (spec.maxDeleteRatio !== undefined && !(typeof spec.maxDeleteRatio === 'number' && spec.maxDeleteRatio >= 0 && spec.maxDeleteRatio <= 1)) {
    at('maxDeleteRatio', 'expected a number from 0 to 1');
  }
  if (spec.attachedTo !== undefined) {
    const { models, model, id } = (spec.attachedTo ?? {}) as Partial<AttachedTo>;
    if (!Array.isArray(models) || models.length === 0) at('attachedTo.models', 'expected a non-empty list of Odoo model names');
    else models.forEach((name: unknown, index) => {
      if (typeof name !== 'string' || !/^[a-z][a-z0-9_.]*$/.test(name)) at(`attachedTo.models.${index}`, 'expected an Odoo model name such as res.partner');
    });
    checkPath(model, 'attachedTo.model');
    checkPath(id, 'attachedTo.id');
  }
  if (spec.activities !== undefined && typeof spec.activities !== 'function') at('activities', 'expected a function (records, context) => activity events');
  if (spec.route !== undefined && (typeof spec.route?.path !== 'string' || !ROUTE.test(spec.route.path))) {
    at('route.path', 'expected lower-case letters, digits and - (1–40), starting with a letter');
  }
  return issues;
}

/** The name of a store index declared by a definition: `<entity>__<paths>` with dots as `_`, e.g. `product__categId_id`. */
export function entityIndexName(entity: EntityName, index: EntityIndex): string {
  return `${entity}__${index.fields.map((path) => path.replace(/\./g, '_')).join('__')}`;
}
