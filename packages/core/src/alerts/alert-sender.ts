/**
 * Sends a planned alert through the notifier and says how it went: who got it, who did not,
 * or the error when the notifier failed as a whole. Logs and emits; never throws.
 * @module
 */
import { summarizeError } from '../errors.js';
import type { PlannedAlert } from '../scheduling/health-tracker.js';
import type { Logger } from '../logger.js';
import type { AlertDelivery, Notifier } from '../ports.js';

/** What {@link sendAlert} reports. */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- lets a notifier be `async () => {}`; `undefined` would reject that
export type AlertSendResult = { ok: true; delivery: AlertDelivery | void } | { ok: false; error: { code: string; message: string } };

/**
 * Sends `planned`. Emits `alert:sent`/`sync:recovered`/`schedule:paused` on the first attempt that reached someone (or
 * with no notifier at all), and `notification:failed` for recipients it did not reach.
 */
export async function sendAlert(
  planned: PlannedAlert,
  deps: { notifier: Notifier | undefined; logger: Logger; emit: (event: 'alert:sent' | 'sync:recovered' | 'schedule:paused' | 'notification:failed', payload: unknown) => void },
): Promise<AlertSendResult> {
  const { alert, options } = planned;
  const { notifier, logger, emit } = deps;
  const event = alert.kind === 'sync_recovered' ? 'sync:recovered' : alert.kind === 'sync_paused' ? 'schedule:paused' : 'alert:sent';
  if (!notifier) {
    if (!planned.retry) emit(event, alert);
    return { ok: true, delivery: undefined };
  }
  try {
    const delivery = await notifier.notify(alert, options);
    const failed = delivery ? delivery.failed : [];
    if (failed.length > 0) {
      logger.error(
        { kind: alert.kind, delivered: delivery?.delivered.length ?? 0, undelivered: failed.length, errors: failed.map((f) => f.error.code) },
        'the alert did not reach every recipient; the others are tried again after the next run',
      );
      emit('notification:failed', { alert, error: failed[0]!.error, undelivered: failed.map((f) => f.recipient) });
    } else {
      logger.info({ kind: alert.kind, retry: planned.retry }, 'alert sent');
    }
    if (!planned.retry && (!delivery || delivery.delivered.length > 0)) emit(event, alert);
    return { ok: true, delivery };
  } catch (error) {
    logger.error({ kind: alert.kind, err: summarizeError(error) }, 'could not send the alert; it will be tried again');
    emit('notification:failed', { alert, error, undelivered: ['*'] });
    const { code, message } = summarizeError(error);
    return { ok: false, error: { code, message } };
  }
}
