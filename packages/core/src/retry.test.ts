import { describe, expect, it } from 'vitest';
import { InputError, LeaseLostError, OdooTransportError, RunAbortedError } from './errors.js';
import { isTransientError, type RetryFailure, type RetryPolicy, withTransientRetry } from './retry.js';

const fast: RetryPolicy = { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 2, factor: 2 };

/** Work that fails with the given errors in turn, then answers `ok`. */
function flaky(errors: Error[]) {
  const attempts: number[] = [];
  const work = async (attemptNumber: number): Promise<string> => {
    attempts.push(attemptNumber);
    const error = errors[attempts.length - 1];
    if (error !== undefined) throw error;
    return 'ok';
  };
  return { attempts, work };
}

describe('withTransientRetry', () => {
  it('retries transient odoo-sync errors and passes the attempt number', async () => {
    const { attempts, work } = flaky([new OdooTransportError('down'), new OdooTransportError('down')]);
    await expect(withTransientRetry(work, { retry: fast })).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('throws the last failure once the retries run out', async () => {
    const errors = [1, 2, 3, 4].map((n) => new OdooTransportError(`down ${n}`));
    const { attempts, work } = flaky(errors);
    await expect(withTransientRetry(work, { retry: fast })).rejects.toBe(errors[3]);
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('does not retry what will not pass by itself: permanent errors, aborted runs, lost leases, plain errors', async () => {
    for (const error of [new InputError('bad'), new RunAbortedError(), new LeaseLostError('gone'), new Error('bug')]) {
      const { attempts, work } = flaky([error]);
      await expect(withTransientRetry(work, { retry: fast })).rejects.toBe(error);
      expect(attempts).toEqual([1]);
    }
    expect(isTransientError(new OdooTransportError('down'))).toBe(true);
    expect(isTransientError(new OdooTransportError('closed', { retryable: false }))).toBe(false);
  });

  it('takes the caller’s own rule of what is transient', async () => {
    const hiccup = new Error('ECONNRESET-like');
    const { attempts, work } = flaky([hiccup, new OdooTransportError('down')]);
    const isTransient = (error: unknown) => error === hiccup;
    await expect(withTransientRetry(work, { retry: fast, isTransient })).rejects.toBeInstanceOf(OdooTransportError);
    expect(attempts).toEqual([1, 2]);
  });

  it('tells onFailure of every failed attempt and onRetry only of those it retries', async () => {
    const last = new InputError('bad');
    const { work } = flaky([new OdooTransportError('down'), last]);
    const failures: RetryFailure[] = [];
    const retries: RetryFailure[] = [];
    await expect(
      withTransientRetry(work, { retry: fast, onFailure: (f) => failures.push(f), onRetry: (f) => retries.push(f) }),
    ).rejects.toBe(last);
    expect(failures.map((f) => [f.attemptNumber, f.retriesLeft])).toEqual([
      [1, 3],
      [2, 2],
    ]);
    expect(retries.map((f) => [f.attemptNumber, f.retriesLeft])).toEqual([[1, 3]]);
  });

  it('does not call onRetry after the last attempt', async () => {
    const { work } = flaky([new OdooTransportError('a'), new OdooTransportError('b')]);
    const retries: number[] = [];
    const failures: number[] = [];
    await expect(
      withTransientRetry(work, {
        retry: { ...fast, retries: 1, randomize: true },
        onFailure: (f) => failures.push(f.attemptNumber),
        onRetry: (f) => retries.push(f.attemptNumber),
      }),
    ).rejects.toBeInstanceOf(OdooTransportError);
    expect(failures).toEqual([1, 2]);
    expect(retries).toEqual([1]);
  });

  it('runs once with retry: false', async () => {
    const { attempts, work } = flaky([new OdooTransportError('down')]);
    await expect(withTransientRetry(work, { retry: false })).rejects.toBeInstanceOf(OdooTransportError);
    expect(attempts).toEqual([1]);
  });

  it('stops waiting and retrying once the signal is aborted, throwing its reason', async () => {
    const controller = new AbortController();
    const reason = new RunAbortedError('stopped by hand');
    const attempts: number[] = [];
    const work = async (attemptNumber: number): Promise<string> => {
      attempts.push(attemptNumber);
      throw new OdooTransportError('down');
    };
    const pending = withTransientRetry(work, {
      retry: { retries: 5, minTimeoutMs: 60_000, maxTimeoutMs: 60_000, factor: 1 },
      signal: controller.signal,
      // Aborts while the (one minute) backoff wait is on: microtasks have set it up by then.
      onRetry: () => setImmediate(() => controller.abort(reason)),
    });
    await expect(pending).rejects.toBe(reason);
    expect(attempts).toEqual([1]);
  });
});
