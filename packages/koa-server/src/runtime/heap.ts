/**
 * How the `odoo-sync` process asks V8 to size its heap. A sync makes garbage page after page
 * (each Odoo answer, its decoded rows, the rows written to the store); by default V8 lets the
 * old generation grow to about four times what is live before it collects, so a full sync
 * that holds ~30 MB peaked near 290 MB. A growing factor of 1.2 keeps the heap within a
 * fifth of what is live, for a few more (incremental, mostly concurrent) collections.
 * @module
 */

/** The V8 option the CLI sets: heap limit = live size × (1 + percent / 100) after each full GC. */
export const HEAP_GROWING_PERCENT = 20;

/** V8 options that already say how the heap should grow: when one is given, the CLI sets nothing. */
const HEAP_SIZING_FLAGS = ['--heap-growing-percent', '--heap_growing_percent', '--optimize-for-size', '--optimize_for_size'];

/**
 * The V8 flag to set for the `odoo-sync` process, or `null` when Node was started with a
 * heap-growth option of its own (in `execArgv` or `NODE_OPTIONS`), which is then left as it is.
 *
 * @example
 * ```ts
 * heapFlag([], undefined); // '--heap-growing-percent=20'
 * heapFlag([], '--heap-growing-percent=50'); // null: the operator's choice stands
 * ```
 */
export function heapFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  const chosen = given.some((arg) => HEAP_SIZING_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
  return chosen ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Applies {@link heapFlag} through `setFlags` (`v8.setFlagsFromString`). V8 reads this option
 * each time it sizes the heap after a collection, so setting it once the process runs works.
 * Returns the flag set, or `null`.
 */
export function tuneHeap(
  setFlags: (flags: string) => void,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env['NODE_OPTIONS'],
): string | null {
  const flag = heapFlag(execArgv, nodeOptions);
  if (flag !== null) setFlags(flag);
  return flag;
}
