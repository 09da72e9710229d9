/**
 * Odoo version strings (`17.0`, `19.0`, `saas~18.3`) and what each one offers: JSON-2 from 19,
 * XML-RPC until its announced removal in 22.
 * @module
 */

/** A parsed Odoo version. */
export interface OdooVersion {
  /** As given, e.g. `17.0` or `saas~18.3`. */
  readonly version: string;
  /** Major number, e.g. 17 (18 for `saas~18.3`). */
  readonly major: number;
  /** `server_serie`, e.g. `17.0`. */
  readonly serie: string;
  /** Odoo's `version_info`, e.g. `[17, 0, 0, 'final', 0, '']`. */
  readonly versionInfo: readonly (number | string)[];
  /** Whether `POST /json/2/<model>/<method>` exists (Odoo 19+). */
  readonly json2: boolean;
  /** Whether `/xmlrpc/2/*` exists (removal announced for Odoo 22). */
  readonly xmlrpc: boolean;
}

const VERSION = /^(saas~)?(\d{1,2})\.(\d{1,2})(?:\+(e))?$/;

/** Parses a version string; throws a `TypeError` for one Odoo would never report. */
export function parseOdooVersion(version: string): OdooVersion {
  const match = VERSION.exec(version.trim());
  if (!match) throw new TypeError(`Invalid Odoo version "${version}": expected e.g. "17.0", "19.0" or "saas~18.3".`);
  const saas = match[1] !== undefined;
  const major = Number(match[2]);
  const minor = Number(match[3]);
  if (major < 8) throw new TypeError(`Invalid Odoo version "${version}": the simulator speaks Odoo 8 and later.`);
  const edition = match[4] ?? '';
  const versionInfo = [saas ? `saas~${major}` : major, minor, 0, 'final', 0, edition];
  return {
    version: version.trim(),
    major,
    serie: saas ? `saas~${major}.${minor}` : `${major}.${minor}`,
    versionInfo,
    json2: major >= 19,
    xmlrpc: major < 22,
  };
}
