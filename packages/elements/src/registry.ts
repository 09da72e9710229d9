/**
 * The tags this package defines and the function that defines them.
 * @module
 */
import { OdooSyncHealth } from './health/element.js';
import { OdooSyncTimeline } from './timeline/element.js';

/**
 * Every tag name this package defines, with the class behind it. Page components add their
 * entry here; the browser bundle defines them all.
 */
export const ELEMENT_TAGS: Readonly<Record<string, CustomElementConstructor>> = {
  'odoo-sync-health': OdooSyncHealth,
  'odoo-sync-timeline': OdooSyncTimeline,
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
