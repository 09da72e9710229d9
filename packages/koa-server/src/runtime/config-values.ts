/**
 * Parsers of the configuration variables whose values have a grammar of their own
 * (`LINK_DOMAIN_ALIASES`, `SYNC_ENTITIES`): pure, each says what is wrong in the words of its
 * variable.
 * @module
 */
import { ENTITY_NAMES, type EntityName } from '@odoo-sync/core';
import { MAIL_ENTITIES } from '@odoo-sync/core/entities';
import { normalizeEmail } from '@odoo-sync/core/matching';

/**
 * The entities the server syncs unless `SYNC_ENTITIES` says otherwise, in run order: the six
 * built-in ones, then Odoo's own activity on them (`mail_activity`, `mail_message`), which
 * comes after the records it is on.
 */
export const SERVER_ENTITY_NAMES: readonly EntityName[] = [...ENTITY_NAMES, ...MAIL_ENTITIES.map((spec) => spec.name)];

/** An e-mail domain as an operator writes it (`acme.com`, `@acme.com`), any case. */
export const DOMAIN = /^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/**
 * The domain as core's matching compares it (core's `normalizeEmail` of `x@<domain>`), or
 * `null` when it is not shaped like a domain.
 */
function linkDomain(text: string): string | null {
  if (!DOMAIN.test(text)) return null;
  return normalizeEmail(`x@${text.replace(/^@/, '')}`)?.slice(2) ?? null;
}

/**
 * Parses `LINK_DOMAIN_ALIASES` (`acme.eu=acme.com,mail.acme.com=acme.com`) into alias →
 * canonical, or says what is wrong with the first bad item, in the words of this variable
 * (core's `prepareDirectory` refuses the same maps, with a `TypeError` about its option).
 */
export function parseLinkDomainAliases(value: string): { aliases: Record<string, string> } | { problem: string } {
  const aliases = new Map<string, string>();
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) {
      const instead = linkDomain(item) === null ? 'acme.eu=acme.com' : `${item}=<its canonical domain>`;
      return { problem: `item "${item}" has no "=": write each item as alias=canonical, e.g. ${instead}` };
    }
    const aliasText = item.slice(0, eq).trim();
    const canonicalText = item.slice(eq + 1).trim();
    if (aliasText === '' || canonicalText === '') {
      return { problem: `item "${item}" has an empty side: write alias=canonical with a domain on each side, e.g. acme.eu=acme.com` };
    }
    const alias = linkDomain(aliasText);
    const canonical = linkDomain(canonicalText);
    if (alias === null || canonical === null) {
      const bad = alias === null ? aliasText : canonicalText;
      return { problem: `"${bad}" in item "${item}" is not a domain: write bare domains (no user@, no URL, one "=" per item), e.g. acme.eu=acme.com` };
    }
    if (alias === canonical) {
      return { problem: `item "${item}" maps ${alias} to itself: remove it (a domain is always its own canonical domain)` };
    }
    const earlier = aliases.get(alias);
    if (earlier !== undefined && earlier !== canonical) {
      return { problem: `${alias} is declared twice, as an alias of ${earlier} and of ${canonical}: keep only ${alias}=${earlier} or ${alias}=${canonical}` };
    }
    aliases.set(alias, canonical);
  }
  for (const [alias, canonical] of aliases) {
    if (!aliases.has(canonical)) continue;
    const seen = new Set([alias, canonical]);
    let end = aliases.get(canonical)!;
    while (!seen.has(end) && aliases.has(end)) {
      seen.add(end);
      end = aliases.get(end)!;
    }
    if (seen.has(end)) {
      return { problem: `${[...seen].join(', ')} are aliases of each other in a loop: pick one canonical domain and map the others to it` };
    }
    return { problem: `${canonical} is the canonical domain of ${alias} but itself an alias, and aliases are not followed: write ${alias}=${end}` };
  }
  return { aliases: Object.fromEntries(aliases) };
}

/**
 * Parses `SYNC_ENTITIES`: entity names to sync (`account,contact`), or names to leave out of
 * all of them (`-invoice,-employee`), not both. Returns the entities in run order.
 */
export function parseSyncEntities(value: string): { entities: EntityName[] } | { problem: string } {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) return { problem: `must name entities, e.g. ${SERVER_ENTITY_NAMES.join(',')} or -invoice` };
  const excluded = items.filter((item) => item.startsWith('-'));
  if (excluded.length > 0 && excluded.length < items.length) {
    return { problem: 'must either list the entities to sync (account,contact) or the ones to leave out (-invoice), not both' };
  }
  const names = items.map((item) => item.replace(/^-/, ''));
  const unknown = names.find((name) => !SERVER_ENTITY_NAMES.includes(name));
  if (unknown !== undefined) return { problem: `"${unknown}" is not an entity; expected ${SERVER_ENTITY_NAMES.join(', ')}` };
  const entities = excluded.length > 0 ? SERVER_ENTITY_NAMES.filter((e) => !names.includes(e)) : SERVER_ENTITY_NAMES.filter((e) => names.includes(e));
  if (entities.length === 0) return { problem: 'leaves no entity to sync' };
  return { entities };
}
