/**
 * The CRM routes: writes of opportunities, accounts and contacts through to Odoo, and the
 * account 360 view — for each built-in entity the app serves at its built-in path.
 * @module
 */
import { ENTITY_SPECS } from '@odoo-sync/core';
import type { EntityDefinition } from '@odoo-sync/core/entities';
import type { IdempotencyGuard } from '../idempotency.js';
import type { AnyRoute, RouteDeps } from '../route.js';
import { crm360Routes } from './crm-360.js';
import { crmOpportunityRoutes } from './crm-opportunities.js';
import { crmPartnerRoutes } from './crm-partners.js';

/** Whether the app serves the built-in `entity` at its built-in path (an embedder may replace it). */
function servesBuiltIn(definitions: readonly EntityDefinition[], entity: 'account' | 'contact' | 'opportunity'): boolean {
  const builtIn = ENTITY_SPECS[entity];
  return definitions.some((d) => d.name === entity && d.model === builtIn.model && d.route?.path === builtIn.route?.path);
}

/**
 * The CRM write routes and the 360 view, for those of accounts, contacts and opportunities that
 * the app serves as built in.
 */
export function crmRoutes(
  deps: Pick<RouteDeps, 'store' | 'reconciler' | 'logger' | 'odoo'>,
  definitions: readonly EntityDefinition[],
  idempotency: IdempotencyGuard,
): AnyRoute[] {
  const partners = crmPartnerRoutes(deps, idempotency).filter((route) =>
    route.path.startsWith('/api/accounts') ? servesBuiltIn(definitions, 'account') : servesBuiltIn(definitions, 'contact'),
  );
  return [
    ...(servesBuiltIn(definitions, 'opportunity') ? crmOpportunityRoutes(deps, idempotency) : []),
    ...partners,
    ...(servesBuiltIn(definitions, 'account') ? crm360Routes(deps) : []),
  ];
}
