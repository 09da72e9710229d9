/**
 * How Odoo's chatter becomes timeline activities (source `odoo`): a scheduled activity
 * (`mail.activity`) by its type, a message (`mail.message`) as a note, an e-mail, a message or
 * a done activity; titles such as "Call: Follow up on quote (Cloud Migration Project)"; HTML
 * bodies made into short text. Pure functions, no I/O.
 * @module
 */
import type { JsonValue } from '../ports.js';

/** Longest text excerpt of an HTML body kept in an activity's metadata. */
export const MAX_EXCERPT_LENGTH = 300;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * HTML to one line of plain text: tags dropped (block ends and `<br>` become spaces), entities
 * decoded, white space collapsed, cut at `max` characters with an ellipsis.
 *
 * @example
 * ```ts
 * htmlToText('<p>Budget &amp; <b>timing</b></p><p>ok</p>'); // 'Budget & timing ok'
 * ```
 */
export function htmlToText(html: string | null | undefined, max = MAX_EXCERPT_LENGTH): string {
  if (!html) return '';
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr|blockquote)>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return safeChar(Number.parseInt(name.slice(2), 16), whole);
      if (name.startsWith('#')) return safeChar(Number.parseInt(name.slice(1), 10), whole);
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…` : text;
}

function safeChar(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** The activity type of a scheduled activity or a done one, from Odoo's type category and name. */
export function odooActivityType(category: string | null, typeName: string | null): 'call' | 'email' | 'meeting' | 'todo' | 'upload_document' | 'odoo_activity' {
  if (category === 'phonecall') return 'call';
  if (category === 'meeting') return 'meeting';
  if (category === 'upload_file') return 'upload_document';
  const name = (typeName ?? '').trim().toLowerCase().replace(/[^a-z]/g, '');
  if (name === 'call' || name === 'phonecall') return 'call';
  if (name === 'email' || name === 'mail') return 'email';
  if (name === 'meeting') return 'meeting';
  if (name === 'todo') return 'todo';
  if (name === 'uploaddocument') return 'upload_document';
  return 'odoo_activity';
}

/** What a chatter message is on the timeline. */
export type MessageKind = 'note' | 'email' | 'message' | 'activity_done';

/** The kind of a message: done activity, internal note, e-mail, or a message in the discussion. */
export function messageKind(message: { messageType: string | null; subtypeName: string | null; isInternal: boolean | null; activityTypeId: number | null }): MessageKind {
  if (message.activityTypeId !== null) return 'activity_done';
  if (message.messageType === 'email') return 'email';
  if (message.isInternal === true || message.subtypeName === 'Note') return 'note';
  return 'message';
}

/** `Call: Follow up on quote (Cloud Migration Project)`; the parts that are empty are left out. */
export function activityTitle(label: string, text: string | null, recordName: string | null, max = 500): string {
  const head = text ? `${label}: ${text}` : label;
  const title = recordName ? `${head} (${recordName})` : head;
  return title.length > max ? `${title.slice(0, max - 1)}…` : title;
}

/** Metadata without the keys whose value is `null` or `''`. */
export function compactMetadata(metadata: Record<string, JsonValue | undefined>): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(metadata)) if (value !== null && value !== undefined && value !== '') out[key] = value;
  return out;
}
