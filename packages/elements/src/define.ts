/**
 * Importing this entry defines every odoo-sync tag (`<odoo-sync-health>`,
 * `<odoo-sync-timeline>`…) in the page's `customElements`. The browser bundle is this entry
 * with Lit inlined.
 * @module
 */
import type { OdooSyncHealth } from './health/element.js';
import type { OdooSyncAdminKeys } from './pages/admin-keys.js';
import type { OdooSyncAdminPeople } from './pages/admin-people.js';
import type { OdooSyncAdminSync } from './pages/admin-sync.js';
import type { OdooSyncProfile } from './pages/profile.js';
import type { OdooSyncRecords } from './pages/records.js';
import { defineOdooSyncElements } from './registry.js';
import type { OdooSyncTimeline } from './timeline/element.js';

defineOdooSyncElements();

export { ELEMENT_TAGS } from './registry.js';

declare global {
  interface HTMLElementTagNameMap {
    'odoo-sync-health': OdooSyncHealth;
    'odoo-sync-timeline': OdooSyncTimeline;
    'odoo-sync-profile': OdooSyncProfile;
    'odoo-sync-records': OdooSyncRecords;
    'odoo-sync-admin-people': OdooSyncAdminPeople;
    'odoo-sync-admin-keys': OdooSyncAdminKeys;
    'odoo-sync-admin-sync': OdooSyncAdminSync;
  }
}
