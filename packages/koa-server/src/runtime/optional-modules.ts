/**
 * Packages the server loads only when its configuration asks for them: the embedded Odoo
 * simulator (`@odoo-sync/odoo-sim`, an optional peer dependency) and the store drivers. A
 * missing one is a clear {@link ConfigError} saying what to install or set, not a stack trace.
 * @module
 */
import { ConfigError } from '@odoo-sync/core/errors';

/** Whether `err` says that `name` (or a file of it) could not be found, in ESM or CommonJS. */
export function isMissingModule(err: unknown, name: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  if (typeof message !== 'string') return false;
  // "Cannot find package 'name' imported from …" (ESM), "Cannot find module 'name'" (CommonJS):
  // the missing name is the first quoted one (the importer, which may be inside the package, comes after).
  const missing = /['"]([^'"]+)['"]/.exec(message)?.[1];
  return missing === name || missing?.startsWith(`${name}/`) === true;
}

/** What to do when an optional package is missing. */
export interface MissingModuleAdvice {
  /** The variable whose value (or absence) made the server need the package. */
  variable: string;
  /** Why the package was needed, as a sentence part: `ODOO_URL is not set, so …`. */
  because: string;
  /** What to do instead. */
  hint: string;
}

/**
 * Imports `name` through `load` (a dynamic `import()` of that very package). When the package is
 * not installed, throws a {@link ConfigError} naming `advice.variable`; other failures pass.
 */
export async function importOptional<T>(name: string, load: () => Promise<T>, advice: MissingModuleAdvice): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (!isMissingModule(err, name)) throw err;
    const message = `${advice.because}, but ${name} is not installed.`;
    throw new ConfigError(message, [{ path: advice.variable, message: `needs ${name}, which is not installed` }], { hint: advice.hint });
  }
}
