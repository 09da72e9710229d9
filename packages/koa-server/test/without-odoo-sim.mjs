// Loaded with `node --import` after tsx: makes `@odoo-sync/odoo-sim` unresolvable in this
// process, as in an installation without the optional peer dependency.
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (specifier === '@odoo-sync/odoo-sim' || specifier.startsWith('@odoo-sync/odoo-sim/')) {
    const error = new Error("Cannot find package '@odoo-sync/odoo-sim' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
