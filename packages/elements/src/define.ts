/**
 * Importing this entry defines every odoo-sync tag (`<odoo-sync-health>`,
 * `<odoo-sync-timeline>`…) in the page's `customElements`. The browser bundle is this entry
 * with Lit inlined.
 * @module
 */
import { defineOdooSyncElements } from './registry.js';

defineOdooSyncElements();

export { ELEMENT_TAGS } from './registry.js';
