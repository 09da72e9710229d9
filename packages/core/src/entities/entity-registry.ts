/**
 * An entity registry: the list of entity definitions a Reconciler, a SyncScheduler, a store or
 * the server is given (the built-in ones by default), checked as a whole and ordered so that
 * entities come after the ones they point at.
 * @module
 */
import { ENTITY_NAMES, ENTITY_SPECS } from './built-in-entities.js';
import { checkDefinition, type EntityDefinition, type EntityName } from './entity-definition.js';
import { EntityDefinitionError, type InputIssue } from '../errors.js';

/** The built-in entity definitions, in run order. */
export const BUILT_IN_ENTITIES: readonly EntityDefinition[] = ENTITY_NAMES.map((name) => ENTITY_SPECS[name] as unknown as EntityDefinition);

/** A checked, ordered list of entity definitions. */
export interface EntityRegistry {
  /** Entity names in run order (an entity after those it points at). */
  readonly names: readonly EntityName[];
  /** The definitions, in the same order. */
  readonly definitions: readonly EntityDefinition[];
  /** True when the registry defines `name`. */
  has(name: unknown): name is EntityName;
  /** The definition of `name`; throws a `TypeError` naming the known entities otherwise. */
  get(name: EntityName): EntityDefinition;
  /** The definitions whose Odoo model is `model` (`res.partner` → account and contact). */
  ofModel(model: string): EntityDefinition[];
}

/**
 * The entities of `definitions` each one must run after: those its `references` name and those
 * whose model is one of its `attachedTo.models`, leaving out itself and entities not in the list.
 * Pure.
 *
 * @example
 * ```ts
 * runsAfter([ENTITY_SPECS.account, ENTITY_SPECS.contact, mailMessage]).get('mail_message'); // ['account', 'contact']
 * ```
 */
export function runsAfter(definitions: readonly EntityDefinition[]): Map<EntityName, EntityName[]> {
  const present = new Set(definitions.map((spec) => spec.name));
  const out = new Map<EntityName, EntityName[]>();
  for (const spec of definitions) {
    const models = new Set(spec.attachedTo?.models ?? []);
    const before = new Set((spec.references ?? []).filter((name) => present.has(name)));
    for (const other of definitions) if (models.has(other.model)) before.add(other.name);
    before.delete(spec.name);
    out.set(spec.name, [...before]);
  }
  return out;
}

/**
 * Orders definitions so that each comes after the entities its `references` name and the
 * entities of the models its `attachedTo.models` name (see `attachedTo` in {@link EntityDefinition}), keeping the given
 * order otherwise (a stable topological sort: a list already in order is unchanged).
 * Many2one `relation`s do not reorder (accounts and contacts, both `res.partner`, point at each
 * other). A cycle is an {@link EntityDefinitionError}. Pure.
 */
export function orderByReferences(definitions: readonly EntityDefinition[]): EntityDefinition[] {
  const after = runsAfter(definitions);
  const done = new Set<EntityName>();
  const left = [...definitions];
  const ordered: EntityDefinition[] = [];
  while (left.length > 0) {
    const index = left.findIndex((spec) => (after.get(spec.name) ?? []).every((name) => done.has(name)));
    if (index < 0) {
      const names = left.map((spec) => spec.name);
      throw new EntityDefinitionError(`Entity references form a cycle among ${names.join(', ')}.`, [
        { path: `${String(names[0])}.references`, message: 'the references of these entities point at each other in a cycle' },
      ]);
    }
    const [spec] = left.splice(index, 1) as [EntityDefinition];
    ordered.push(spec);
    done.add(spec.name);
  }
  return ordered;
}

/**
 * Checks a list of definitions (each on its own, then duplicate names and route paths and
 * references to entities the list does not define) and orders it by references. Throws
 * {@link EntityDefinitionError} listing every problem.
 *
 * @example
 * ```ts
 * const entities = entityRegistry([...BUILT_IN_ENTITIES, product]);
 * new Reconciler({ source, store, entities: entities.definitions });
 * ```
 */
export function entityRegistry(definitions: readonly EntityDefinition[] = BUILT_IN_ENTITIES): EntityRegistry {
  if (!Array.isArray(definitions)) throw new EntityDefinitionError('Entities must be a list of entity definitions.');
  const issues: InputIssue[] = [];
  const names = new Set<string>();
  const routes = new Map<string, string>();
  definitions.forEach((spec: EntityDefinition | null | undefined, index) => {
    if (spec === null || typeof spec !== 'object') {
      issues.push({ path: String(index), message: 'expected an entity definition (see defineEntity)' });
      return;
    }
    issues.push(...checkDefinition(spec));
    if (names.has(spec.name)) issues.push({ path: `${spec.name}.name`, message: `entity "${spec.name}" is defined twice` });
    names.add(spec.name);
    const path = spec.route?.path;
    if (path !== undefined) {
      const taken = routes.get(path);
      if (taken !== undefined) issues.push({ path: `${spec.name}.route.path`, message: `route "${path}" is also used by "${taken}"` });
      else routes.set(path, spec.name);
    }
  });
  for (const spec of definitions as readonly (EntityDefinition | null | undefined)[]) {
    if (spec === null || typeof spec !== 'object') continue;
    for (const reference of spec.references ?? []) {
      if (!names.has(reference)) issues.push({ path: `${spec.name}.references`, message: `unknown entity "${reference}"` });
    }
  }
  if (issues.length > 0) {
    throw new EntityDefinitionError(`Invalid entity definitions: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`, issues);
  }
  const ordered = orderByReferences(definitions);
  const byName = new Map(ordered.map((spec) => [spec.name, spec]));
  const orderedNames = ordered.map((spec) => spec.name);
  return {
    names: orderedNames,
    definitions: ordered,
    has: (name: unknown): name is EntityName => typeof name === 'string' && byName.has(name),
    get(name) {
      const spec = byName.get(name);
      if (!spec) throw new TypeError(`Unknown entity "${name}"; expected one of ${orderedNames.join(', ')}.`);
      return spec;
    },
    ofModel: (model) => ordered.filter((spec) => spec.model === model),
  };
}
