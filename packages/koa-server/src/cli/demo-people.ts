/**
 * The people of the demo's Microsoft 365 stand-in, drawn from the simulated Odoo: an admin, two
 * people Odoo knows by their e-mail, one it knows only by an alias Microsoft 365 vouches for,
 * one who is not in Odoo, and one who waits for approval. Pure: no I/O.
 * @module
 */
import { createHash } from 'node:crypto';
import type { DirectoryEmployee, DirectoryUser } from '@odoo-sync/core/matching';

/** The e-mail domain of the demo's own Microsoft 365 accounts (the alias person, the newcomer). */
export const DEMO_M365_DOMAIN = 'm365.demo.example';

/** One person of the demo directory. */
export interface DemoPerson {
  /** Sign-in name (and e-mail). */
  upn: string;
  /** Display name. */
  name: string;
  /** What the person shows, as the demo's sign-in page says it. */
  description: string;
  /** Their role here. */
  role: 'admin' | 'user';
  /** `approved`: recorded ahead, so their first sign-in is approved; `pending`: waits for an admin. */
  status: 'approved' | 'pending';
  /** Graph `otherMails`. */
  otherMails: string[];
  /** Graph `proxyAddresses`. */
  proxyAddresses: string[];
}

/** A stable object id for a demo person (the same across restarts: the demo's store keeps them). */
export function demoObjectId(upn: string): string {
  const hex = createHash('sha256').update(`odoo-sync demo\0${upn.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const MAILBOX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Chooses the demo people from the synced Odoo directory: active Odoo users with an e-mail
 * address and an active employee, in id order. Fewer such users, fewer demo people of Odoo.
 */
export function chooseDemoPeople(directory: { users: readonly DirectoryUser[]; employees: readonly DirectoryEmployee[] }): DemoPerson[] {
  const withEmployee = new Set(directory.employees.filter((e) => e.active !== false && e.userId !== null).map((e) => e.userId!.id));
  const known = directory.users
    .filter((u) => u.active !== false && u.email !== null && MAILBOX.test(u.email) && u.name && withEmployee.has(u.odooId))
    .sort((a, b) => a.odooId - b.odooId)
    .map((u) => ({ name: u.name!, email: u.email!.toLowerCase() }));
  const people: DemoPerson[] = [];
  const plain = (upn: string) => ({ otherMails: [] as string[], proxyAddresses: [`SMTP:${upn}`] });
  const [admin, first, second, aliased] = known;
  if (admin) people.push({ upn: admin.email, name: admin.name, description: 'Admin: approves people, runs the sync', role: 'admin', status: 'approved', ...plain(admin.email) });
  for (const person of [first, second]) {
    if (person) people.push({ upn: person.email, name: person.name, description: 'In Odoo under this e-mail: linked at sign-in', role: 'user', status: 'approved', ...plain(person.email) });
  }
  if (aliased) {
    const upn = `${aliased.email.split('@')[0]}@${DEMO_M365_DOMAIN}`;
    people.push({
      upn,
      name: aliased.name,
      description: `In Odoo only as ${aliased.email}, an alias Microsoft 365 knows: linked by it`,
      role: 'user',
      status: 'approved',
      otherMails: [aliased.email],
      proxyAddresses: [`SMTP:${upn}`, `smtp:${aliased.email}`],
    });
  }
  const newcomer = `nora.newcomer@${DEMO_M365_DOMAIN}`;
  people.push({ upn: newcomer, name: 'Nora Newcomer', description: 'Not in Odoo: "Link to Odoo" explains why, with suggestions', role: 'user', status: 'approved', ...plain(newcomer) });
  const partner = 'pat.partner@partner.demo.example';
  people.push({ upn: partner, name: 'Pat Partner', description: 'New here: waits until an admin approves', role: 'user', status: 'pending', ...plain(partner) });
  return people;
}
