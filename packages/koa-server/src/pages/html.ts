/**
 * Escaped HTML templates for the server's pages: every value put in a {@link html} template is
 * escaped unless it is itself {@link SafeHtml} (another template), so text from Odoo, Microsoft
 * 365 or the URL can never become markup.
 * @module
 */

/** Markup made by {@link html}: safe to put in another template as is. */
export class SafeHtml {
  /** The markup. */
  readonly value: string;
  /** Wraps markup that is already safe (only {@link html} and {@link joinHtml} make it). */
  constructor(value: string) {
    this.value = value;
  }
  /** The markup. */
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

/** A value a template accepts: text (escaped), numbers, markup, lists of them; `null`, `undefined` and `false` render nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template for HTML: interpolated values are escaped (see {@link HtmlValue}).
 *
 * @example
 * ```ts
 * html`<p>Hello ${user.name}</p>`; // a name such as "<b>" shows as text
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}
