/**
 * Where the self-contained browser bundle is on disk, for servers that serve it (the bundled
 * odoo-sync server serves it at `/ui/odoo-sync-elements.js`). Node only.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** File name of the browser bundle. */
export const BUNDLE_FILE = 'odoo-sync-elements.js';

/**
 * The absolute path of `dist/browser/odoo-sync-elements.js` of this package: a minified ES
 * module with Lit inlined that defines every tag. Throws when the package has not been built.
 */
export function browserBundlePath(): string {
  // From dist/bundle.js the bundle is ./browser/…; from src/bundle.ts (tests) it is ../dist/browser/….
  for (const relative of [`./browser/${BUNDLE_FILE}`, `../dist/browser/${BUNDLE_FILE}`]) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`The browser bundle ${BUNDLE_FILE} of @odoo-sync/elements is missing: build the package (pnpm build).`);
}
