/**
 * Define the entities odoo-sync keeps in step: `defineEntity` for any Odoo model, the built-in
 * definitions, and a checked, ordered registry of them. Give the definitions to the
 * `Reconciler` (`entities`), the stores (`entities`, for their declared indexes) and the
 * server (`createApp({ entities })`, for their read routes).
 *
 * @module @odoo-sync/core/entities
 */
export {
  checkDefinition,
  defineEntity,
  entityIndexName,
  FIELD_KINDS,
  schemaOfFields,
  type AttachedTo,
  type CamelCase,
  type DeletionPolicy,
  type EntityDefinition,
  type EntityDefinitionInput,
  type EntityIndex,
  type EntityRoute,
  type FieldKind,
  type FieldSpec,
  type FieldValueOf,
  type RecordOfFields,
} from './entity-definition.js';
export { BUILT_IN_ENTITIES, entityRegistry, orderByReferences, type EntityRegistry } from './entity-registry.js';
export { type BuiltInEntityName, type EntityRecord, type EntityRecordMap } from './built-in-entities.js';
export { mapOdooRow, sourceQueryOf, type MapResult } from './entities.js';
export {
  CHATTER_MODELS,
  MAIL_ENTITIES,
  mailActivity,
  mailActivitySchema,
  mailMessage,
  mailMessageSchema,
  type MailActivity,
  type MailMessage,
} from './mail-entities.js';
export type { ActivityProjection, ActivityProjectionContext, ProjectedUser } from '../activity/projection.js';
export { EntityDefinitionError } from '../errors.js';
