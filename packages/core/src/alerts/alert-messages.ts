/**
 * The alert and recovery messages the scheduler sends admins: which deployment, what failed,
 * what to do about that error code, the error's own hint, links the embedder passes in, and
 * times in a time zone people read. Plain text and HTML. Pure: no I/O, time comes in.
 * @module
 */
import type { Alert } from '../ports.js';
import type { SyncHealth } from '../scheduling/sync-health.js';

/** What alerts say about where they come from; the server fills it from its configuration. */
export interface AlertContext {
  /** Which deployment sends the alert (its public URL or host name). */
  deployment?: string;
  /** Links put in alerts (absolute URLs). Core names no server path of its own. */
  links?: {
    /** The status dashboard. */
    dashboard?: string;
    /** Where the sync logs are read. */
    logs?: string;
  };
  /** How an admin resumes paused scheduled runs, in the embedder's words (e.g. an HTTP call or a command). */
  resumeHow?: string;
  /**
   * IANA time zone of the times in alerts, e.g. `Europe/Brussels`.
   * @default the process's time zone
   */
  timeZone?: string;
}

/** What an admin can do about each error code of a failed run. */
const ADVICE: Record<string, string> = {
  odoo_auth_failed:
    'Odoo refused the sync user\'s login: the API key (or password) was rejected, revoked or expired, or the user was disabled. Create a new API key for that user in Odoo (Preferences → Account Security) and give it to odoo-sync.',
  odoo_access_denied:
    'The Odoo user that odoo-sync logs in as may not read one of the models it syncs. Give it read access (an internal user with the Sales, Invoicing and Employees read rights), or turn that entity off.',
  odoo_model_not_found: 'Odoo does not have a model odoo-sync reads: install the Odoo module that provides it, or turn that entity off.',
  odoo_transport_failed:
    'Odoo did not answer: check that it is up and reachable from this server (DNS, firewall, proxy, TLS certificate) and not overloaded.',
  odoo_server_error: 'Odoo answered with a server error: its own log has the traceback. Updates or custom modules are the usual cause.',
  odoo_validation_failed:
    'Odoo refused a request as invalid: check that the Odoo version and protocol match what odoo-sync supports, and the database name.',
  store_error: 'odoo-sync could not read or write its own store: check the disk (space, permissions) or the database server.',
  mass_deletion_blocked:
    'Many records disappeared from Odoo at once, so the deletions were held back. Check them in Odoo; if they are real, run a sync with force.',
  mass_archive_blocked:
    'Many records were archived in Odoo at once, so the archiving was held back. Check them in Odoo; if it is real, run a sync with force.',
  lease_lost: 'Another replica took over the run; if this repeats, check that the replicas\' clocks agree and the store is responsive.',
  run_aborted: 'The run was stopped (a shutdown or a restart); it is resumed by the next run.',
  config_invalid: 'The configuration is invalid: fix the setting named in the error and restart.',
};

const DEFAULT_ADVICE = 'Read the sync logs for the error of each entity.';

/** The advice for an error code (a generic one for codes without their own). */
export function adviceFor(code: string | undefined): string {
  return (code !== undefined && ADVICE[code]) || DEFAULT_ADVICE;
}

/** `7 Dec 2026, 13:05:00 CET` in the given zone (falls back to ISO-8601 when the zone is unknown). */
export function formatLocalTime(iso: string, timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'long' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One paragraph, or a labelled line (`label: value`), or a link line. */
type Line = { text: string } | { label: string; value: string } | { label: string; href: string };

function render(lines: Line[]): { text: string; html: string } {
  const text = lines
    .map((line) => ('text' in line ? line.text : 'href' in line ? `${line.label}: ${line.href}` : `${line.label}: ${line.value}`))
    .join('\n');
  const html = lines
    .map((line) =>
      'text' in line
        ? `<p>${escapeHtml(line.text)}</p>`
        : 'href' in line
          ? `<p><strong>${escapeHtml(line.label)}:</strong> <a href="${escapeHtml(line.href)}">${escapeHtml(line.href)}</a></p>`
          : `<p><strong>${escapeHtml(line.label)}:</strong> ${escapeHtml(line.value)}</p>`,
    )
    .join('\n');
  return { text, html: `<!doctype html>\n<html><body style="font-family:system-ui,sans-serif">\n${html}\n</body></html>` };
}

function linkLines(context: AlertContext): Line[] {
  const lines: Line[] = [];
  if (context.links?.dashboard) lines.push({ label: 'Dashboard', href: context.links.dashboard });
  if (context.links?.logs) lines.push({ label: 'Sync logs', href: context.links.logs });
  return lines;
}

function where(context: AlertContext): string {
  return context.deployment ? ` on ${context.deployment}` : '';
}

/** The alert sent once `health.consecutiveFailures` reached the threshold. */
export function failureAlert(health: SyncHealth, at: string, context: AlertContext): Alert {
  const error = health.lastError;
  const zone = context.timeZone;
  const lines: Line[] = [
    { text: `Syncing with Odoo${where(context)} has failed ${health.consecutiveFailures} times in a row. The served data is getting stale.` },
  ];
  if (context.deployment) lines.push({ label: 'Deployment', value: context.deployment });
  if (error) {
    lines.push({ label: 'Last error', value: `${error.message} (${error.code})` });
    if (error.hint) lines.push({ label: 'Hint', value: error.hint });
  }
  lines.push({ label: 'What to do', value: adviceFor(error?.code) });
  if (health.failingSince) lines.push({ label: 'Failing since', value: formatLocalTime(health.failingSince, zone) });
  lines.push({
    label: 'Last successful sync',
    value: health.lastSuccessAt ? formatLocalTime(health.lastSuccessAt, zone) : 'none yet',
  });
  lines.push({ label: 'Sent at', value: formatLocalTime(at, zone) });
  lines.push(...linkLines(context));
  lines.push({ text: 'You will get one more message when syncing works again.' });
  return {
    kind: 'sync_failing',
    subject: `odoo-sync${where(context)}: syncing with Odoo has failed ${health.consecutiveFailures} times in a row${error ? ` (${error.code})` : ''}`,
    ...render(lines),
    at,
    details: {
      consecutiveFailures: health.consecutiveFailures,
      lastSuccessAt: health.lastSuccessAt,
      failingSince: health.failingSince,
      errorCode: error?.code ?? null,
      ...(context.deployment ? { deployment: context.deployment } : {}),
    },
  };
}

/** The notice sent when a run succeeds after the failure alert. */
export function recoveryAlert(health: SyncHealth, at: string, context: AlertContext): Alert {
  const zone = context.timeZone;
  const lines: Line[] = [{ text: `Syncing with Odoo${where(context)} works again: a run succeeded after ${health.consecutiveFailures} failed runs.` }];
  if (context.deployment) lines.push({ label: 'Deployment', value: context.deployment });
  lines.push({ label: 'Recovered at', value: formatLocalTime(at, zone) });
  if (health.failingSince) lines.push({ label: 'Failing since', value: formatLocalTime(health.failingSince, zone) });
  if (health.lastSuccessAt) lines.push({ label: 'Previous successful sync', value: formatLocalTime(health.lastSuccessAt, zone) });
  lines.push(...linkLines(context));
  return {
    kind: 'sync_recovered',
    subject: `odoo-sync${where(context)}: syncing with Odoo works again`,
    ...render(lines),
    at,
    details: {
      failedRuns: health.consecutiveFailures,
      previousSuccessAt: health.lastSuccessAt,
      ...(context.deployment ? { deployment: context.deployment } : {}),
    },
  };
}

/** The one notice sent when scheduled runs pause after failing for `pauseAfterHours`. */
export function pausedAlert(health: SyncHealth, at: string, pauseAfterHours: number, context: AlertContext): Alert {
  const error = health.lastError;
  const zone = context.timeZone;
  const lines: Line[] = [
    {
      text: `Syncing with Odoo${where(context)} has failed for ${pauseAfterHours} hours (${health.consecutiveFailures} runs in a row), so scheduled runs are paused: they would only add load and noise until someone fixes the cause.`,
    },
  ];
  if (context.deployment) lines.push({ label: 'Deployment', value: context.deployment });
  if (error) {
    lines.push({ label: 'Last error', value: `${error.message} (${error.code})` });
    if (error.hint) lines.push({ label: 'Hint', value: error.hint });
  }
  lines.push({ label: 'What to do', value: adviceFor(error?.code) });
  if (health.failingSince) lines.push({ label: 'Failing since', value: formatLocalTime(health.failingSince, zone) });
  lines.push({ label: 'Paused at', value: formatLocalTime(at, zone) });
  lines.push({
    text: `Once the cause is fixed, resume the schedule (${context.resumeHow ?? 'SyncScheduler.resume()'}). A manual run still works meanwhile, and a successful one resumes the schedule too.`,
  });
  lines.push(...linkLines(context));
  return {
    kind: 'sync_paused',
    subject: `odoo-sync${where(context)}: scheduled syncing is paused after ${pauseAfterHours} hours of failures`,
    ...render(lines),
    at,
    details: { consecutiveFailures: health.consecutiveFailures, failingSince: health.failingSince, errorCode: error?.code ?? null },
  };
}
