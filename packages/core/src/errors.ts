/**
 * Typed errors of odoo-sync. Every error thrown by any odoo-sync package is an
 * {@link OdooSyncError} with a stable string `code` (on the class and on the instance),
 * a human `message`, an optional `hint` saying what to do, the original `cause`, and a
 * `retryable` flag telling schedulers whether trying again may help.
 *
 * Core errors carry no HTTP status: the server maps codes to statuses in one place.
 *
 * @example
 * ```ts
 * try {
 *   await reconciler.run({ entity: 'contact' });
 * } catch (err) {
 *   if (isOdooSyncError(err)) {
 *     switch (err.code) {
 *       case 'odoo_auth_failed': // rotate the API key
 *       case 'mass_deletion_blocked': // look at Odoo, then run again with force
 *     }
 *   }
 * }
 * ```
 * @module @odoo-sync/core/errors
 */

/** Every stable error code used by odoo-sync. */
export type OdooSyncErrorCode =
  | 'internal_error'
  | 'config_invalid'
  | 'entity_definition_invalid'
  | 'input_invalid'
  | 'not_found'
  | 'conflict'
  | 'store_error'
  | 'lease_unavailable'
  | 'lease_lost'
  | 'sync_in_progress'
  | 'mass_deletion_blocked'
  | 'mass_archive_blocked'
  | 'run_aborted'
  | 'odoo_auth_failed'
  | 'odoo_access_denied'
  | 'odoo_model_not_found'
  | 'odoo_validation_failed'
  | 'odoo_server_error'
  | 'odoo_transport_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'identity_conflict'
  | 'reauth_required'
  | 'token_unreadable'
  | 'ms365_unavailable'
  | 'stale_cache'
  | 'notifier_failed';

/** Options shared by every odoo-sync error constructor. */
export interface OdooSyncErrorOptions {
  /** The underlying error, kept for logs. */
  cause?: unknown;
  /** What the reader should do about it, in one sentence. */
  hint?: string;
  /** Whether trying again later may succeed. Each class has its own default. */
  retryable?: boolean;
}

/** Base class of every error odoo-sync throws. Switch on {@link OdooSyncError.code}. */
export class OdooSyncError extends Error {
  /** Stable code of this error family; also on each instance. */
  static readonly code: OdooSyncErrorCode = 'internal_error';
  /** Stable machine-readable code. Never changes for a given failure. */
  readonly code: OdooSyncErrorCode;
  /** What to do about it, when there is something to do. */
  readonly hint: string | undefined;
  /** Whether retrying the same operation later may succeed. */
  readonly retryable: boolean;

  constructor(message: string, options: OdooSyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = (new.target as unknown as { code: OdooSyncErrorCode }).code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
  }

  /** A JSON-safe summary without stack or cause: `{ code, message, hint?, retryable }`. */
  toJSON(): { code: OdooSyncErrorCode; message: string; hint?: string; retryable: boolean } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      retryable: this.retryable,
    };
  }
}

/** True when `value` is an {@link OdooSyncError} (works across package copies by duck typing). */
export function isOdooSyncError(value: unknown): value is OdooSyncError {
  return (
    value instanceof OdooSyncError ||
    (value instanceof Error &&
      typeof (value as { code?: unknown }).code === 'string' &&
      typeof (value as { retryable?: unknown }).retryable === 'boolean')
  );
}

/** One problem found while validating input or configuration. */
export interface InputIssue {
  /** Dotted path of the offending value (`''` for the whole input). */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/** Configuration is missing or wrong. `issues` names each problem. */
export class ConfigError extends OdooSyncError {
  static override readonly code = 'config_invalid' as const;
  /** Each problem found, one per variable or option. */
  readonly issues: readonly InputIssue[];
  constructor(message: string, issues: readonly InputIssue[] = [], options: OdooSyncErrorOptions = {}) {
    super(message, options);
    this.issues = issues;
  }
}

/**
 * An entity definition (or a list of them) is wrong: a duplicate name, a field of unknown kind,
 * a filter or index on a key the record does not have, a reference to an entity that is not
 * defined. Thrown by `defineEntity` and `entityRegistry`, before anything runs.
 */
export class EntityDefinitionError extends OdooSyncError {
  static override readonly code = 'entity_definition_invalid' as const;
  /** Each problem found, by path inside the definition (`product.fields.2.kind`). */
  readonly issues: readonly InputIssue[];
  constructor(message: string, issues: readonly InputIssue[] = [], options: OdooSyncErrorOptions = {}) {
    super(message, { hint: 'Fix the entity definition named in the message; nothing was synced.', ...options });
    this.issues = issues;
  }
}

/** Input from outside (an HTTP body, a stored document, an argument) failed validation. */
export class InputError extends OdooSyncError {
  static override readonly code = 'input_invalid' as const;
  /** Each problem found. */
  readonly issues: readonly InputIssue[];
  constructor(message: string, issues: readonly InputIssue[] = [], options: OdooSyncErrorOptions = {}) {
    super(message, options);
    this.issues = issues;
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends OdooSyncError {
  static override readonly code = 'not_found' as const;
}

/** A write lost a race (a version check failed) or would break a uniqueness rule. */
export class ConflictError extends OdooSyncError {
  static override readonly code = 'conflict' as const;
}

/** A store call failed. The driver's error is in `cause`. Retryable unless told otherwise. */
export class StoreError extends OdooSyncError {
  static override readonly code = 'store_error' as const;
  constructor(message: string, options: OdooSyncErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** Another process holds the lease this operation needs. */
export class LeaseUnavailableError extends OdooSyncError {
  static override readonly code = 'lease_unavailable' as const;
  constructor(message: string, options: OdooSyncErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** A lease expired or was taken over while work was in progress; the work stopped at a checkpoint. */
export class LeaseLostError extends OdooSyncError {
  static override readonly code = 'lease_lost' as const;
  constructor(message: string, options: OdooSyncErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** A sync run is already in progress in this process. */
export class SyncInProgressError extends OdooSyncError {
  static override readonly code = 'sync_in_progress' as const;
  constructor(message = 'A sync run is already in progress.', options: OdooSyncErrorOptions = {}) {
    super(message, { retryable: true, hint: 'Wait for it to finish, then try again.', ...options });
  }
}

/**
 * A run would have soft-deleted more than the allowed share of an entity's records.
 * Nothing was deleted. Check Odoo, then run again with `force: true` if the deletions are real.
 */
export class MassDeletionBlockedError extends OdooSyncError {
  static override readonly code = 'mass_deletion_blocked' as const;
  /** Records the run would have soft-deleted. */
  readonly wouldDelete: number;
  /** Records the store held before the run (not counting already deleted ones). */
  readonly storedCount: number;
  /** The share that was allowed (0–1). */
  readonly maxDeleteRatio: number;
  constructor(
    message: string,
    details: { wouldDelete: number; storedCount: number; maxDeleteRatio: number },
    options: OdooSyncErrorOptions = {},
  ) {
    super(message, {
      hint: 'Check the records in Odoo; if the deletions are real, run the sync again with force.',
      ...options,
    });
    this.wouldDelete = details.wouldDelete;
    this.storedCount = details.storedCount;
    this.maxDeleteRatio = details.maxDeleteRatio;
  }
}

/**
 * A run would have archived more than the allowed share of an entity's active records (they are
 * archived in Odoo). Nothing was archived. Check Odoo, then run again with `force: true` if the
 * archiving is real.
 */
export class MassArchiveBlockedError extends OdooSyncError {
  static override readonly code = 'mass_archive_blocked' as const;
  /** Records the run would have archived. */
  readonly wouldArchive: number;
  /** Records that were active before the run. */
  readonly activeCount: number;
  /** The share that was allowed (0–1). */
  readonly maxArchiveRatio: number;
  constructor(
    message: string,
    details: { wouldArchive: number; activeCount: number; maxArchiveRatio: number },
    options: OdooSyncErrorOptions = {},
  ) {
    super(message, {
      hint: 'Check the records in Odoo; if they really were archived, run the sync again with force.',
      ...options,
    });
    this.wouldArchive = details.wouldArchive;
    this.activeCount = details.activeCount;
    this.maxArchiveRatio = details.maxArchiveRatio;
  }
}

/** The run was aborted through its AbortSignal or by shutdown; it stopped at a checkpoint. */
export class RunAbortedError extends OdooSyncError {
  static override readonly code = 'run_aborted' as const;
  constructor(message = 'The sync run was aborted.', options: OdooSyncErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/**
 * Odoo refused the credentials (XML-RPC fault 3, JSON-2 401). When Odoo is in its login
 * cooldown after repeated failures, `cooldown` is true and the error is retryable.
 */
export class OdooAuthError extends OdooSyncError {
  static override readonly code = 'odoo_auth_failed' as const;
  /** True when Odoo refused because of its login cooldown (retry after about a minute). */
  readonly cooldown: boolean;
  constructor(message: string, options: OdooSyncErrorOptions & { cooldown?: boolean } = {}) {
    const cooldown = options.cooldown ?? false;
    super(message, {
      retryable: cooldown,
      hint: cooldown
        ? 'Odoo is refusing logins for a while after repeated failures; it will be retried.'
        : 'Check the Odoo database name, login and API key (API keys expire; rotate it if needed).',
      ...options,
    });
    this.cooldown = cooldown;
  }
}

/** The Odoo user lacks rights on a model or record (XML-RPC fault 4, JSON-2 403). */
export class OdooAccessError extends OdooSyncError {
  static override readonly code = 'odoo_access_denied' as const;
  constructor(message: string, options: OdooSyncErrorOptions = {}) {
    super(message, {
      hint: 'Give the Odoo user read access to this model (or use a user in the right group).',
      ...options,
    });
  }
}

/** The Odoo model does not exist: its module is not installed (fault 2 "Object x doesn't exist", JSON-2 404). */
export class OdooModelNotFoundError extends OdooSyncError {
  static override readonly code = 'odoo_model_not_found' as const;
  /** The technical model name, e.g. `crm.lead`. */
  readonly model: string;
  constructor(model: string, options: OdooSyncErrorOptions = {}) {
    super(`The Odoo model ${model} does not exist on this database (its module is not installed).`, {
      hint: `Install the Odoo module that provides ${model}, or disable this entity.`,
      ...options,
    });
    this.model = model;
  }
}

/** Odoo rejected the request as invalid (UserError / ValidationError / MissingError, JSON-2 422). */
export class OdooValidationError extends OdooSyncError {
  static override readonly code = 'odoo_validation_failed' as const;
}

/**
 * Odoo failed with an unexpected server error (XML-RPC fault 1, JSON-2 500). The server
 * traceback is kept in `debug` for logs and never shown to end users.
 */
export class OdooServerError extends OdooSyncError {
  static override readonly code = 'odoo_server_error' as const;
  /** The server traceback, for logs only. */
  readonly debug: string | undefined;
  constructor(message: string, options: OdooSyncErrorOptions & { debug?: string } = {}) {
    super(message, options);
    this.debug = options.debug;
  }
}

/**
 * The request did not get an Odoo answer: connection refused or dropped, a timeout, or an
 * answer that is not Odoo's protocol (e.g. an HTML error page from a proxy). Usually retryable.
 */
export class OdooTransportError extends OdooSyncError {
  static override readonly code = 'odoo_transport_failed' as const;
  /** HTTP status, when an HTTP answer arrived. */
  readonly status: number | undefined;
  constructor(message: string, options: OdooSyncErrorOptions & { status?: number } = {}) {
    super(message, { retryable: true, ...options });
    this.status = options.status;
  }
}

/** No valid credentials were presented. */
export class UnauthenticatedError extends OdooSyncError {
  static override readonly code = 'unauthenticated' as const;
}

/** The caller is known but not allowed to do this. */
export class ForbiddenError extends OdooSyncError {
  static override readonly code = 'forbidden' as const;
}

/**
 * A person signed in whose e-mail address already belongs to another user, who is not them
 * (another sign-in identity) or whom this sign-in cannot safely claim (a user recorded before
 * identities were). Nobody is signed in as anybody else; an administrator resolves it.
 */
export class IdentityConflictError extends OdooSyncError {
  static override readonly code = 'identity_conflict' as const;
}

/**
 * Microsoft 365 can no longer refresh this user's token silently; the user must sign in again
 * at `loginUrl`.
 */
export class ReauthRequiredError extends OdooSyncError {
  static override readonly code = 'reauth_required' as const;
  /** Where the user signs in again. */
  readonly loginUrl: string;
  constructor(
    loginUrl: string,
    message = 'Your Microsoft 365 session expired — please sign in again.',
    options: OdooSyncErrorOptions = {},
  ) {
    super(message, { hint: `Sign in again at ${loginUrl}.`, ...options });
    this.loginUrl = loginUrl;
  }
}

/** A stored encrypted token blob could not be decrypted (wrong or missing key, tampering). */
export class TokenUnreadableError extends OdooSyncError {
  static override readonly code = 'token_unreadable' as const;
}

/**
 * Microsoft 365 (Entra ID) could not be reached or answered with an outage after retries.
 * The session is kept: nobody is signed out for a transient failure. Retryable.
 */
export class Ms365UnavailableError extends OdooSyncError {
  static override readonly code = 'ms365_unavailable' as const;
  constructor(message = 'Microsoft 365 is not reachable right now; please try again in a moment.', options: OdooSyncErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** Sending an alert failed. */
export class NotifierError extends OdooSyncError {
  static override readonly code = 'notifier_failed' as const;
  constructor(message: string, options: OdooSyncErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** A short `{ code, message, retryable }` of any thrown value, safe to store in a sync log. */
export function summarizeError(err: unknown): { code: OdooSyncErrorCode; message: string; retryable: boolean } {
  if (isOdooSyncError(err)) return { code: err.code, message: err.message, retryable: err.retryable };
  if (err instanceof Error) return { code: 'internal_error', message: err.message, retryable: false };
  return { code: 'internal_error', message: String(err), retryable: false };
}
