/**
 * Keeps secrets (API keys, passwords) out of every message this package builds: error
 * messages, hints, tracebacks kept for logs, and log fields.
 * @module
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of the given secrets in a text. Secrets are also matched in their
 * URL-encoded, XML-escaped and JSON-escaped forms, since servers echo requests in those forms.
 *
 * @example
 * ```ts
 * const redact = createRedactor(['s3cret-key']);
 * redact('Invalid key s3cret-key'); // 'Invalid key [redacted]'
 * ```
 */
export function createRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of ordered) out = out.split(form).join(REDACTED);
    return out;
  };
}
