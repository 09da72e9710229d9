/**
 * A faithful Odoo external-API simulator (XML-RPC, JSON-2, `/web/version`) with a seeded
 * messy-data generator and fault injection, for tests, benchmarks and demos.
 *
 * @module @odoo-sync/odoo-sim
 * @document ../README.md
 */
export { startOdooSim } from './server.js';
export type { DropOptions, OdooSim, OdooSimFaults, OdooSimOptions, OdooSimStats, OdooSimUser, SimSearchReadOptions } from './server.js';
export type { DropFraming } from './answers.js';
export { DEFAULT_COUNTS, generateDataset } from './generator.js';
export type { GenerateDatasetOptions } from './generator.js';
export type {
  AccountMoveRow,
  BaseRow,
  CrmLeadRow,
  CrmStageRow,
  Dataset,
  DatasetCounts,
  DatasetModels,
  HrEmployeeRow,
  NamedRow,
  ResPartnerRow,
  ResUsersRow,
} from './dataset.js';
export type { IrModelRow, MailActivityRow, MailActivityTypeRow, MailMessageRow, MailMessageSubtypeRow } from './generator-mail.js';
export type { OdooRecord, OdooValue } from './database.js';
export { OdooSimError } from './exceptions.js';
export type { OdooSimErrorKind } from './exceptions.js';
export type { OdooVersion } from './version.js';
