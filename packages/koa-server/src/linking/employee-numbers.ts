/**
 * `LINK_EMPLOYEE_ID_FIELD`: the employee numbers Odoo holds in an `hr.employee` field that
 * mirrors Microsoft Entra's `employeeId`, read from Odoo for the linking directory, and the
 * check at startup that the field exists.
 * @module
 */
import type { Logger, SourceQuery, SourceReader } from '@odoo-sync/core';
import { ConfigError, isOdooSyncError, summarizeError } from '@odoo-sync/core/errors';

/** Reads every employee's number: `hr.employee` id → number (trimmed; employees without one left out). */
export type EmployeeNumberReader = () => Promise<ReadonlyMap<number, string>>;

function queryOf(field: string): SourceQuery {
  return { entity: 'employee', model: 'hr.employee', domain: [], fields: [field, 'write_date', 'active'] };
}

/** A value of the field as a number to compare: text or a number; anything else (unset: `false`) is none. */
function numberOf(value: unknown): string | null {
  const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * The employee numbers in `field` of every employee (archived ones too), read from Odoo page by
 * page through the sync's {@link SourceReader}.
 */
export function employeeNumbersFromOdoo(source: SourceReader, field: string, pageSize = 1000): EmployeeNumberReader {
  const query = queryOf(field);
  return async () => {
    const numbers = new Map<number, string>();
    for await (const page of source.readChanged(query, { since: null, pageSize })) {
      for (const row of page) {
        const number = numberOf(row[field]);
        if (number !== null) numbers.set(row.id, number);
      }
    }
    return numbers;
  };
}

/**
 * Checks at startup that Odoo has `field` on `hr.employee` and lets the sync's user read it
 * (reads one employee). Throws {@link ConfigError} naming `LINK_EMPLOYEE_ID_FIELD` when Odoo
 * says the field does not exist or may not be read; an Odoo that cannot be reached now is only
 * logged (the field is read again with every directory).
 */
export async function checkEmployeeNumberField(source: SourceReader, field: string, logger: Logger): Promise<void> {
  try {
    for await (const page of source.readChanged(queryOf(field), { since: null, pageSize: 1 })) {
      if (page.length > 0) break;
    }
  } catch (error) {
    if (isOdooSyncError(error) && (error.code === 'odoo_validation_failed' || error.code === 'odoo_access_denied' || error.code === 'odoo_model_not_found')) {
      const missing = error.code !== 'odoo_access_denied';
      throw new ConfigError(
        missing
          ? `LINK_EMPLOYEE_ID_FIELD is ${field}, but Odoo says hr.employee has no such field (${error.message}).`
          : `LINK_EMPLOYEE_ID_FIELD is ${field}, but Odoo does not let the sync's user read it (${error.message}).`,
        [{ path: 'LINK_EMPLOYEE_ID_FIELD', message: missing ? 'names no field of hr.employee' : 'cannot be read by the Odoo user of the sync' }],
        {
          hint: missing
            ? 'Name the hr.employee field that holds the Microsoft Entra employee id (e.g. identification_id or barcode), or leave LINK_EMPLOYEE_ID_FIELD unset.'
            : 'Give the Odoo user of the sync the Employees / Officer right, or leave LINK_EMPLOYEE_ID_FIELD unset.',
          cause: error,
        },
      );
    }
    logger.warn({ field, err: summarizeError(error) }, 'LINK_EMPLOYEE_ID_FIELD could not be checked now (Odoo unreachable); it is read again with the linking directory');
  }
}
