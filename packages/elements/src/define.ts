/**
 * Importing this entry defines every odoo-sync tag (`<odoo-sync-health>`,
 * `<odoo-sync-timeline>`…) in the page's `customElements`. The browser bundle is this entry
 * with Lit inlined.
 * @module
 */
import type { OdooSyncHealth } from './health/element.js';
import { defineOdooSyncElements } from './registry.js';
import type { OdooSyncTimeline } from './timeline/element.js';

defineOdooSyncElements();

export { ELEMENT_TAGS } from './registry.js';

declare global {
  interface HTMLElementTagNameMap {
    'odoo-sync-health': OdooSyncHealth;
    'odoo-sync-timeline': OdooSyncTimeline;
  }
}
