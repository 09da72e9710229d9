/**
 * What the dataset generator's parts share: counts, the create/write stamper, and the small
 * renderings of names, e-mails and phone numbers.
 * @module
 */
import type { DatasetCounts } from './dataset.js';
import { formatOdooDatetime } from './odoo-time.js';
import type { SeededRandom } from './prng.js';

/** The default counts. */
export const DEFAULT_COUNTS: Readonly<Required<DatasetCounts>> = {
  partners: 200,
  companies: 25,
  opportunities: 120,
  invoices: 150,
  employees: 30,
  users: 25,
  stages: 4,
  products: 40,
  activities: 80,
  messages: 200,
};

/** The company's own mail domain. */
export const INTERNAL_DOMAIN = 'yourcompany.example.com';
/** One day in milliseconds. */
export const DAY = 86_400_000;

/** The counts with their defaults, checked (`TypeError` for a bad one). */
export function resolveCounts(counts: Partial<DatasetCounts> = {}): Required<DatasetCounts> {
  const out = { ...DEFAULT_COUNTS };
  for (const key of Object.keys(counts) as (keyof DatasetCounts)[]) {
    const value = counts[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new TypeError(`generateDataset: counts.${key} must be a non-negative integer, got ${String(value)}.`);
    }
    out[key] = value;
  }
  if (counts.companies === undefined) out.companies = Math.round(out.partners / 8);
  if (out.companies > out.partners) {
    throw new TypeError(`generateDataset: counts.companies (${out.companies}) cannot exceed counts.partners (${out.partners}).`);
  }
  if (out.stages < 2) throw new TypeError(`generateDataset: counts.stages must be at least 2, got ${out.stages}.`);
  return out;
}

/** Hands out create/write stamps before `until`; a share of rows tie on the same second. */
export class Stamper {
  #last = 0;
  /**
   * @param random the stamps' own random stream
   * @param untilMs every stamp is before this
   */
  constructor(
    private readonly random: SeededRandom,
    private readonly untilMs: number,
  ) {}

  /** The next row's create and write dates. */
  next(): { create_date: string; write_date: string } {
    const created = this.untilMs - this.random.int(2, 730 * 86_400) * 1000;
    let written: number;
    if (this.#last > created && this.random.chance(0.2)) written = this.#last;
    else if (this.random.chance(0.15)) written = created;
    else written = created + this.random.int(0, Math.floor((this.untilMs - 1000 - created) / 1000)) * 1000;
    this.#last = written;
    return { create_date: formatOdooDatetime(new Date(created)), write_date: formatOdooDatetime(new Date(written)) };
  }
}

/** A first and last name. */
export interface Person {
  /** First name. */
  first: string;
  /** Last name. */
  last: string;
}

/** `First Last`. */
export function fullName(person: Person): string {
  return `${person.first} ${person.last}`;
}

/**
 * The e-mail an admin typed on a user's contact: mostly the login, sometimes re-cased, on one
 * of the company's other domains, with a `+tag`, or with blanks around it.
 */
export function messyUserEmail(random: SeededRandom, email: string | false): string | false {
  if (email === false) return false;
  const roll = random.next();
  if (roll < 0.62) return email;
  if (roll < 0.75) return mixedCase(email.toLowerCase()).replace('@Yourcompany', '@YourCompany');
  if (roll < 0.85) return email.replace(/@.*$/, `@${random.pick(['yourcompany.example.eu', 'mail.yourcompany.example.com', 'YourCompany.example.be'])}`);
  if (roll < 0.93) return email.replace('@', `+${random.pick(['crm', 'odoo'])}@`);
  return ` ${email} `;
}

/** Random capitalisation of the parts of an e-mail address: `Jose.Garcia@YourCompany.example.com`. */
export function mixedCase(email: string): string {
  return email.replace(/(^|[.@])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** A phone number with the country prefix. */
export function phone(random: SeededRandom, prefix: string): string {
  const digits = () => String(random.int(10, 99));
  return `${prefix} ${random.int(100, 999)} ${digits()} ${digits()} ${digits()}`;
}

/** Create/write dates and uids of a row. */
export interface Stamp {
  /** When the row was created. */
  create_date: string;
  /** When the row was last written. */
  write_date: string;
  /** Who created it. */
  create_uid: number;
  /** Who wrote it last. */
  write_uid: number;
}
