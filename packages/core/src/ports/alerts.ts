/**
 * Alert port: how admins hear about syncs that fail, recover or are blocked.
 * @module
 */
import type { JsonValue } from './json.js';

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

/** Kinds of alerts sent to admins. */
export type AlertKind =
  | 'sync_failing'
  | 'sync_recovered'
  | 'sync_paused'
  | 'mass_deletion_blocked'
  | 'mass_archive_blocked';

/** An alert for admins. */
export interface Alert {
  /** Kind. */
  kind: AlertKind;
  /** One-line subject. */
  subject: string;
  /** Plain-text body. */
  text: string;
  /** The same body as HTML, when the sender made one. */
  html?: string;
  /** ISO-8601 time. */
  at: string;
  /** Structured details (counts, error codes). Never secrets. */
  details: { [key: string]: JsonValue };
}

/** Who an alert reached, as {@link Notifier.notify} reports it. */
export interface AlertDelivery {
  /** Recipients who got it. */
  delivered: string[];
  /** Recipients who did not, with why (never secrets). */
  failed: Array<{ recipient: string; error: { code: string; message: string } }>;
}

/** Whom to send an alert to, for {@link Notifier.notify}. */
export interface NotifyOptions {
  /** Recipients who already got this alert: skip them (a retry goes only to the others). */
  skip?: readonly string[];
  /** Send only to these recipients (a recovery notice goes to those who got the alert). */
  only?: readonly string[];
}

/** Sends alerts to admins (e-mail in the server). */
export interface Notifier {
  /**
   * Sends one alert to each recipient, each on its own. Resolves with who got it and who did
   * not ({@link AlertDelivery}); resolving with nothing means every recipient got it. Throws
   * {@link @odoo-sync/core/errors!NotifierError | NotifierError} when it could send to nobody
   * (the recipients could not even be listed).
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- lets a notifier be `async () => {}`; `undefined` would reject that
  notify(alert: Alert, options?: NotifyOptions): Promise<AlertDelivery | void>;
}

