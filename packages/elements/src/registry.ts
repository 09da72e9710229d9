/**
 * The tags this package defines and the function that defines them.
 * @module
 */
import { OdooSyncHealth } from './health/element.js';
import { OdooSyncAdminKeys } from './pages/admin-keys.js';
import { OdooSyncAdminPeople } from './pages/admin-people.js';
import { OdooSyncAdminSync } from './pages/admin-sync.js';
import { OdooSyncProfile } from './pages/profile.js';
import { OdooSyncRecords } from './pages/records.js';
import { OdooSyncTimeline } from './timeline/element.js';

/**
 * Every tag name this package defines, with the class behind it. Page components add their
 * entry here; the browser bundle defines them all.
 */
export const ELEMENT_TAGS: Readonly<Record<string, CustomElementConstructor>> = {
  'odoo-sync-health': OdooSyncHealth,
  'odoo-sync-timeline': OdooSyncTimeline,
  'odoo-sync-profile': OdooSyncProfile,
  'odoo-sync-records': OdooSyncRecords,
  'odoo-sync-admin-people': OdooSyncAdminPeople,
  'odoo-sync-admin-keys': OdooSyncAdminKeys,
  'odoo-sync-admin-sync': OdooSyncAdminSync,
};

/**
 * Defines every odoo-sync tag in `registry`, skipping tags already defined there (so two copies
 * on one page do not throw).
 */
export function defineOdooSyncElements(registry: CustomElementRegistry = customElements): void {
  for (const [tag, element] of Object.entries(ELEMENT_TAGS)) {
    if (!registry.get(tag)) registry.define(tag, element);
  }
}
