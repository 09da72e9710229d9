/**
 * Alert e-mails to every approved admin, over SMTP with nodemailer.
 * @module
 */
import type { Alert, AlertDelivery, Logger, Notifier, NotifyOptions, User, UserStore } from '@odoo-sync/core';
import { NotifierError, summarizeError } from '@odoo-sync/core/errors';
import nodemailer from 'nodemailer';
import { isPlaceholderEmail } from '../auth/api-keys.js';
import type { Secret } from '../secret.js';

/** What sends one message (nodemailer's `Transporter` fits). */
export interface MailTransport {
  /** Sends one message. */
  sendMail(message: { from: string; to: string; subject: string; text: string; html?: string; headers?: Record<string, string> }): Promise<unknown>;
  /** Closes pooled connections. */
  close?(): void;
}

/** Options of {@link SmtpNotifier}. */
export interface SmtpNotifierOptions {
  /** Where the admins are. */
  users: UserStore;
  /** Sender, e.g. `odoo-sync <alerts@acme.com>`. */
  from: string;
  /** `smtp://user:pass@host:587` or `smtps://…` (kept secret), unless `transport` is given. */
  smtpUrl?: Secret;
  /** A ready transport (tests, or a nodemailer transport built by hand). */
  transport?: MailTransport;
  /**
   * Structured logger.
   * @default a silent logger
   */
  logger?: Logger;
}

/**
 * Sends each alert as one e-mail to every approved admin (one message per admin, so no admin
 * sees the others' addresses), plain text and HTML, except the bootstrap admin's placeholder
 * address `admin@odoo-sync.local`, which no relay accepts. Each admin is tried on its own: the
 * answer says who got it and who did not (a relay refusing one address does not stop the
 * others), so the scheduler retries only those. With no admin to write to, the alert is logged
 * and nothing is sent. Throws {@link NotifierError} only when the admins could not be listed.
 * The SMTP URL never appears in an error.
 *
 * @example
 * ```ts
 * const notifier = new SmtpNotifier({ users: store, from: 'odoo-sync <alerts@acme.com>', smtpUrl: new Secret(process.env.SMTP_URL!) });
 * const scheduler = new SyncScheduler({ runner, locks: store, settings: store, notifier });
 * ```
 */
export class SmtpNotifier implements Notifier {
  readonly #users: UserStore;
  readonly #from: string;
  readonly #transport: MailTransport;
  readonly #logger: Logger | undefined;

  constructor(options: SmtpNotifierOptions) {
    if (!options.users) throw new TypeError('SmtpNotifier option users is required.');
    if (!options.from) throw new TypeError('SmtpNotifier option from is required.');
    if (!options.transport && !options.smtpUrl) throw new TypeError('SmtpNotifier needs smtpUrl or transport.');
    this.#users = options.users;
    this.#from = options.from;
    this.#logger = options.logger;
    this.#transport = options.transport ?? (nodemailer.createTransport(options.smtpUrl!.reveal()));
  }

  /** Every approved admin with a real address (not the bootstrap placeholder). */
  async admins(): Promise<User[]> {
    const admins: User[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.#users.listUsers({ role: 'admin', status: 'approved', limit: 200, cursor });
      admins.push(...page.items.filter((admin) => !isPlaceholderEmail(admin.email)));
      cursor = page.nextCursor;
    } while (cursor);
    return admins;
  }

  async notify(alert: Alert, options: NotifyOptions = {}): Promise<AlertDelivery> {
    let admins: User[];
    try {
      admins = await this.admins();
    } catch (err) {
      throw new NotifierError('The alert could not be e-mailed: the admins could not be listed.', { cause: err });
    }
    if (admins.length === 0) {
      this.#logger?.warn({ kind: alert.kind, subject: alert.subject }, 'alert not e-mailed: there is no approved admin with a real e-mail address');
      return { delivered: [], failed: [] };
    }
    const only = options.only ? new Set(options.only.map(lower)) : null;
    const skip = new Set((options.skip ?? []).map(lower));
    const targets = admins.map((admin) => admin.email).filter((email) => (only === null || only.has(lower(email))) && !skip.has(lower(email)));
    const delivery: AlertDelivery = { delivered: [], failed: [] };
    for (const to of targets) {
      try {
        await this.#transport.sendMail({
          from: this.#from,
          to,
          subject: alert.subject,
          text: alert.text,
          ...(alert.html === undefined ? {} : { html: alert.html }),
          headers: { 'X-Odoo-Sync-Alert': alert.kind },
        });
        delivery.delivered.push(to);
      } catch (err) {
        const error = safeSummary(err);
        delivery.failed.push({ recipient: to, error: { code: 'notifier_failed', message: error.message } });
        this.#logger?.error({ kind: alert.kind, to, err: error }, 'alert e-mail not sent');
      }
    }
    this.#logger?.info({ kind: alert.kind, delivered: delivery.delivered.length, failed: delivery.failed.length }, 'alert e-mailed');
    return delivery;
  }

  /** Closes the SMTP connections. Safe to call twice. */
  close(): void {
    this.#transport.close?.();
  }
}

function lower(email: string): string {
  return email.trim().toLowerCase();
}

/** An error summary with anything that looks like URL credentials removed. */
function safeSummary(err: unknown): { code: string; message: string } {
  const { code, message } = summarizeError(err);
  return { code, message: message.replace(/\/\/[^@/\s]+@/g, '//[redacted]@') };
}
