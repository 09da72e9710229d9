/**
 * The names behind an Odoo link's ids: the linked employee (name, job, department) and the
 * Odoo user's name, read from the synced employees (`GET /api/employees`).
 * @module
 */
import type { OdooSyncApi } from '../api.js';
import type { OdooLinkView } from './words.js';

/** What the pages show of a linked Odoo person. */
export interface OdooLinkNames {
  /** The linked employee, when there is one and it has been synced. */
  employee: { name: string; jobTitle: string | null; department: string | null } | null;
  /** The linked Odoo user's name, when known. */
  odooUserName: string | null;
}

interface EmployeeRecord {
  data: { name: string; jobTitle: string | null; departmentId: { id: number; name: string } | null; userId: { id: number; name: string } | null };
}

/**
 * Reads the names of `link`'s employee and Odoo user. Ids that cannot be read (not synced, no
 * access, server down) leave `null`: the pages then show the ids alone.
 */
export async function readLinkNames(api: OdooSyncApi, link: Pick<OdooLinkView, 'odooUserId' | 'employeeId'>): Promise<OdooLinkNames> {
  let employee: EmployeeRecord | null = null;
  try {
    if (link.employeeId !== null) {
      employee = await api.get<EmployeeRecord>(`/api/employees/${link.employeeId}`);
    } else if (link.odooUserId !== null) {
      // The Odoo user's name is on the employee that points at them, when there is one.
      const page = await api.get<{ items: EmployeeRecord[] }>('/api/employees', { user: link.odooUserId, limit: 1 });
      const found = page.items[0] ?? null;
      return { employee: null, odooUserName: found?.data.userId?.name ?? null };
    }
  } catch {
    return { employee: null, odooUserName: null };
  }
  if (employee === null) return { employee: null, odooUserName: null };
  const data = employee.data;
  return {
    employee: { name: data.name, jobTitle: data.jobTitle, department: data.departmentId?.name ?? null },
    odooUserName: data.userId && data.userId.id === link.odooUserId ? data.userId.name : null,
  };
}

/** "Marc Demo (employee #2), Odoo user Marc Demo (#6)" — the link in one line. */
export function linkSummary(link: Pick<OdooLinkView, 'odooUserId' | 'employeeId'>, names: OdooLinkNames | null): string {
  const parts: string[] = [];
  if (link.employeeId !== null) {
    const employee = names?.employee;
    parts.push(employee ? `employee ${employee.name} (#${link.employeeId})` : `employee #${link.employeeId}`);
  }
  if (link.odooUserId !== null) {
    const name = names?.odooUserName;
    parts.push(name ? `Odoo user ${name} (#${link.odooUserId})` : `Odoo user #${link.odooUserId}`);
  }
  return parts.join(', ');
}
