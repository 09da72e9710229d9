/**
 * The components' browser bundle of the installed `@odoo-sync/elements`, read once when first
 * asked for.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { BundleLoader } from './asset-routes.js';

/**
 * Reads `odoo-sync-elements.js` of the installed `@odoo-sync/elements`; `null` when the package
 * or its built bundle is missing (the bundle's path then answers 404 with what to do).
 */
export const installedElementsBundle: BundleLoader = async () => {
  let path: string;
  try {
    const { browserBundlePath } = await import('@odoo-sync/elements/bundle');
    path = browserBundlePath();
  } catch {
    return null;
  }
  return readFile(path);
};
