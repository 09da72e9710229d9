/**
 * The plumbing every contract suite shares: a fresh harness per case, closed and cleaned up
 * after it, handed to the cases of each concern.
 * @module
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { ContractHarness, ContractOptions } from '../harness.js';

/** What a concern's cases get from the suite that runs them. */
export interface CaseContext<H extends ContractHarness<unknown>> {
  /** Calls `bind` with each case's fresh harness, before the case runs. */
  onHarness(bind: (harness: H) => void): void;
  /** Stores opened by a case (replicas); the suite closes them after the case. */
  siblings: Array<H['store']>;
  /** Whether concurrent writers are exclusive (see `StoreCapabilities.exclusiveLocks`). */
  exclusive: boolean;
}

/** Closes a store when it can be closed (a store implementing only some ports may not). */
async function closeIfClosable(store: unknown): Promise<void> {
  const close = (store as { close?: unknown }).close;
  if (typeof close === 'function') await (close as () => Promise<void>).call(store);
}

/**
 * Registers `describe(title)` with a fresh harness per case from `setup`, the cases `define`
 * registers, then the caller's additional tests.
 */
export function runContract<H extends ContractHarness<unknown>>(
  title: string,
  setup: () => Promise<H>,
  options: ContractOptions<H>,
  define: (context: CaseContext<H>) => void,
): void {
  describe(title, () => {
    let harness: H;
    const binders: Array<(harness: H) => void> = [];
    const siblings: Array<H['store']> = [];

    beforeEach(async () => {
      harness = await setup();
      for (const bind of binders) bind(harness);
    });

    afterEach(async () => {
      for (const sibling of siblings.splice(0)) await closeIfClosable(sibling);
      await closeIfClosable(harness.store);
      await harness.cleanup?.();
    });

    define({
      onHarness: (bind) => binders.push(bind),
      siblings,
      exclusive: options.capabilities?.exclusiveLocks ?? true,
    });

    options.additionalTests?.(() => harness);
  });
}
