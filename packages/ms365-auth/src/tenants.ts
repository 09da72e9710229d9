/**
 * Which Entra directories (tenants) may sign in, from `tenantId` and `allowedTenants`.
 * @module
 */
import type { InputIssue } from '@odoo-sync/core/errors';

/**
 * The tenant id of personal Microsoft accounts (outlook.com, hotmail.com…). Their sign-in
 * names are addresses no organisation verified.
 */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a directory (tenant) id written as a GUID. */
export function isTenantGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * The tenant ids (lower case) whose accounts may sign in: the `tenantId` itself when it is a
 * GUID, else `allowedTenants` (`organizations`, `common`, or a tenant named by domain, cannot
 * be compared with the `tid` of a token). Problems are pushed to `issues`.
 */
export function acceptedTenants(tenantId: string, allowedTenants: readonly string[] | undefined, issues: InputIssue[]): Set<string> {
  const allowed = (allowedTenants ?? []).map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
  for (const tenant of allowed) {
    if (!isTenantGuid(tenant)) issues.push({ path: 'allowedTenants', message: `must hold directory (tenant) ids written as GUIDs, not "${tenant}"` });
  }
  if (isTenantGuid(tenantId)) {
    const own = tenantId.toLowerCase();
    if (allowed.some((t) => t !== own)) {
      issues.push({ path: 'allowedTenants', message: 'may only name tenantId itself when tenantId is a tenant GUID (a single-tenant app)' });
    }
    return new Set([own]);
  }
  if (allowed.length === 0) {
    issues.push({
      path: 'allowedTenants',
      message: `is required when tenantId is "${tenantId}": list the directory (tenant) ids whose accounts may sign in`,
    });
  }
  return new Set(allowed);
}
