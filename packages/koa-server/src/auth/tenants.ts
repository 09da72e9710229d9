/**
 * The configuration rules of the tenants that may sign in with Microsoft 365
 * (`MS365_TENANT_ID`, `MS365_ALLOWED_TENANTS`).
 * @module
 */
import { isTenantGuid } from '@odoo-sync/ms365-auth/config';

/** The tenant ids of `MS365_ALLOWED_TENANTS`, lower case. */
export function allowedTenantsOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/**
 * What is wrong with `MS365_ALLOWED_TENANTS` given `MS365_TENANT_ID`, or `null`: it is required
 * when the tenant is not a GUID (`organizations`, `common`, a domain), and may only repeat a
 * tenant GUID.
 */
export function allowedTenantsProblem(tenantId: string, allowedTenants: string | undefined): string | null {
  const tenant = tenantId.trim();
  const allowed = allowedTenantsOf(allowedTenants);
  if (tenant !== '' && !isTenantGuid(tenant) && allowed.length === 0) {
    return `is required when MS365_TENANT_ID is ${tenant} (not a tenant GUID): the tenants whose accounts may sign in`;
  }
  if (isTenantGuid(tenant) && allowed.some((t) => t !== tenant.toLowerCase())) {
    return 'may only name MS365_TENANT_ID itself when that is a tenant GUID; set MS365_TENANT_ID=organizations for several tenants';
  }
  return null;
}
