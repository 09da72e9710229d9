/**
 * Pure text helpers of identity matching: how e-mails and person names are normalised before
 * they are compared, and how close two names or e-mails are when they are not equal.
 * @module
 */

/**
 * Letters that Unicode does not decompose into a base letter plus a mark, spelled the way a
 * person would type them on a keyboard without that letter.
 */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
};
const SPECIAL_LETTER_PATTERN = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'gu');
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /['’ʼ`´]/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const ANGLE_ADDRESS = /<([^<>]*)>\s*$/u;

/**
 * Normalises an e-mail address for comparison: extracts the address from a
 * `Name <address>` form, trims, lower-cases, and drops `+tag` sub-addressing from the local
 * part (`Ana.Souza+crm@X.com ` → `ana.souza@x.com`). Returns `null` for an empty value or for
 * anything that is not shaped like an address (an Odoo login such as `admin`).
 *
 * @example
 * ```ts
 * normalizeEmail('  "Ana" <Ana+Odoo@Example.COM>'); // 'ana@example.com'
 * normalizeEmail('admin'); // null
 * ```
 */
export function normalizeEmail(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  let text = value.trim();
  const angle = ANGLE_ADDRESS.exec(text);
  if (angle) text = (angle[1] ?? '').trim();
  text = text.replace(/^mailto:/iu, '').toLowerCase();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1 || /\s/u.test(text)) return null;
  const local = text.slice(0, at).split('+')[0] ?? '';
  const domain = text.slice(at + 1).replace(/\.$/u, '');
  if (local === '' || domain === '' || local.includes('@')) return null;
  return `${local}@${domain}`;
}

/** The domain of a normalised e-mail (`ana@x.com` → `x.com`), or `null`. */
export function emailDomain(email: string | null): string | null {
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  return at < 0 ? null : email.slice(at + 1);
}

/** The local part of a normalised e-mail (`ana.souza@x.com` → `ana.souza`), or `null`. */
export function emailLocalPart(email: string | null): string | null {
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  return at < 0 ? null : email.slice(0, at);
}

/**
 * Normalises a person's name for comparison: lower case; accents removed (`José` → `jose`,
 * `Øre` → `ore`, `Straße` → `strasse`); apostrophes dropped (`O'Brien` → `obrien`); every other
 * punctuation mark becomes a space; runs of spaces collapse; `"Last, First"` becomes
 * `"first last"`. Returns `null` when nothing is left.
 *
 * Order still matters in the result; compare {@link nameKey}s to ignore it.
 *
 * @example
 * ```ts
 * normalizeName('  SOUZA,  Ana-María '); // 'ana maria souza'
 * ```
 */
export function normalizeName(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  let text = value.normalize('NFKD').toLowerCase();
  text = text.replace(SPECIAL_LETTER_PATTERN, (letter) => SPECIAL_LETTERS[letter] ?? letter);
  text = text.replace(COMBINING_MARKS, '').replace(APOSTROPHES, '');
  const parts = text.split(',');
  if (parts.length === 2) {
    const [last = '', first = ''] = parts;
    if (last.trim() !== '' && first.trim() !== '') text = `${first} ${last}`;
  }
  text = text.replace(NOT_LETTER_OR_DIGIT, ' ').trim();
  return text === '' ? null : text;
}

/** The tokens of a name after {@link normalizeName}, in their order; `[]` for no name. */
export function nameTokens(value: string | null | undefined): string[] {
  const normalized = normalizeName(value);
  return normalized === null ? [] : normalized.split(' ');
}

/**
 * The comparison key of a name: its normalised tokens sorted, so that `"Souza, Ana"`,
 * `"ana  SOUZA"` and `"Ana Souza"` share the key `"ana souza"`. `null` for no name.
 */
export function nameKey(value: string | null | undefined): string | null {
  const tokens = nameTokens(value);
  return tokens.length === 0 ? null : [...tokens].sort().join(' ');
}

/**
 * Jaro-Winkler similarity of two strings, from 0 (nothing in common) to 1 (equal). Favours
 * strings that share a prefix, which suits names and e-mail local parts.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i += 1) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j += 1) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches += 1;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i += 1) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k += 1;
    if (a[i] !== b[k]) transpositions += 1;
    k += 1;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Mean, over the tokens of `from`, of the best Jaro-Winkler similarity with a token of `to`. */
function directedTokenSimilarity(from: readonly string[], to: readonly string[]): number {
  let total = 0;
  for (const token of from) {
    let best = 0;
    for (const other of to) best = Math.max(best, jaroWinkler(token, other));
    total += best;
  }
  return total / from.length;
}

/**
 * Token-based similarity of two names, from 0 to 1, insensitive to order, case, accents and
 * punctuation: each token is paired with its closest counterpart (Jaro-Winkler) and the two
 * directions are averaged, so a missing or extra token lowers the score. Equal
 * {@link nameKey}s score 1.
 */
export function nameSimilarity(a: string | readonly string[] | null, b: string | readonly string[] | null): number {
  const left = typeof a === 'string' || a === null ? nameTokens(a) : a;
  const right = typeof b === 'string' || b === null ? nameTokens(b) : b;
  if (left.length === 0 || right.length === 0) return 0;
  return (directedTokenSimilarity(left, right) + directedTokenSimilarity(right, left)) / 2;
}

/**
 * Tokens a person's name might be spelled with in an e-mail's local part
 * (`ana.souza` → `['ana', 'souza']`, `a_souza2` → `['a', 'souza']`).
 */
export function localPartTokens(email: string | null): string[] {
  const local = emailLocalPart(email);
  if (local === null) return [];
  return local
    .replace(/[0-9]+/gu, ' ')
    .split(/[._\-\s]+/u)
    .filter((token) => token !== '');
}

/**
 * Similarity of two normalised e-mails, from 0 to 1: Jaro-Winkler of the local parts with
 * separators removed, lowered by 10% when the domains differ. Equal addresses score 1.
 */
export function emailSimilarity(a: string | null, b: string | null): number {
  if (a === null || b === null) return 0;
  if (a === b) return 1;
  const squash = (email: string): string => (emailLocalPart(email) ?? '').replace(/[._-]/gu, '');
  const local = jaroWinkler(squash(a), squash(b));
  return emailDomain(a) === emailDomain(b) ? local : local * 0.9;
}

/**
 * The order in which an address spells a name: given names first (`ana.souza`) or family name
 * first (`souza.ana`), taking the name's tokens in the order {@link normalizeName} gives them
 * (`"Souza, Ana"` reads `ana souza`).
 */
export type NameOrder = 'first-last' | 'last-first';

/**
 * The orders in which the local part of a normalised e-mail spells the name and nothing else
 * (see {@link localPartSpellsName}): `first-last` when the tokens it uses come in the name's
 * order, `last-first` when in reverse; both for a one-token name. An empty set when it does not
 * spell the name, or only in a shuffled order (`maria.ana.nunez` for *Ana María Núñez*).
 */
export function nameOrdersOf(email: string | null, name: string | null): Set<NameOrder> {
  const orders = new Set<NameOrder>();
  spellings(email, name, (used) => {
    if (used.every((index, i) => i === 0 || index > (used[i - 1] as number))) orders.add('first-last');
    if (used.every((index, i) => i === 0 || index < (used[i - 1] as number))) orders.add('last-first');
    return orders.size === 2;
  });
  return orders;
}

/**
 * True when the local part of a normalised e-mail spells the person's name and nothing else:
 * only name tokens (each at most once, with or without `.`, `_` or `-` between them), at least
 * two of them when the name has two or more, and no number. That is the address a directory
 * gives the first person of a name (`ana.souza`, `souza_ana`, `anavanderberg`); `asouza`,
 * `ana.souza2` or `sales` do not spell `Ana Souza`.
 *
 * `orders` limits the token order that counts (see {@link nameOrdersOf}); without it any order
 * does.
 */
export function localPartSpellsName(email: string | null, name: string | null, orders?: ReadonlySet<NameOrder>): boolean {
  if (orders !== undefined) return [...nameOrdersOf(email, name)].some((order) => orders.has(order));
  let found = false;
  spellings(email, name, () => (found = true));
  return found;
}

/**
 * Calls `visit` with the name-token indices of each way the local part spells the name (see
 * {@link localPartSpellsName}), until `visit` returns true.
 */
function spellings(email: string | null, name: string | null, visit: (used: readonly number[]) => boolean): void {
  const local = emailLocalPart(email);
  const tokens = nameTokens(name);
  if (local === null || tokens.length === 0 || /[0-9]/u.test(local)) return;
  const squashed = (normalizeName(local.replace(/[._-]+/gu, ' ')) ?? '').replace(/ /gu, '');
  if (squashed === '') return;
  const minimum = Math.min(2, tokens.length);
  const used: number[] = [];
  const segment = (from: number): boolean => {
    if (from === squashed.length) return used.length >= minimum && visit(used);
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i] as string;
      if (used.includes(i) || !squashed.startsWith(token, from)) continue;
      used.push(i);
      const done = segment(from + token.length);
      used.pop();
      if (done) return true;
    }
    return false;
  };
  segment(0);
}
