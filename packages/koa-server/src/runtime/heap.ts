/**
 * How the `odoo-sync` process asks V8 to size its heap. A sync makes garbage page after page
 * (each Odoo answer, its decoded rows, the rows written to the store); by default V8 lets the
 * old generation grow to about four times what is live before it collects, so a full sync
 * that holds ~30 MB peaked near 290 MB. A growing factor of 1.2 keeps the heap within a
 * fifth of what is live, for a few more (incremental, mostly concurrent) collections.
 *
 * The commands that sync (`serve`, `demo`, `sync`) also keep V8's young generation at its
 * initial size: by default its two semi-spaces grow to 16 MB each during the first sync and
 * never give the memory back, which is a quarter of an idle server's RSS and a sixth of a full
 * sync's peak. With the store's writes on their own thread this costs no measurable sync time.
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

/**
 * The V8 option the CLI sets for the commands that keep a server running: the young generation
 * (semi-spaces of 1 MB) does not grow. Set at run time it takes effect, unlike
 * `--max-semi-space-size`, which V8 reads only when the process starts.
 */
export const SERVER_YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

/** The commands that sync (no command at all means `serve`). */
const SERVER_COMMANDS: ReadonlySet<string> = new Set(['serve', 'demo', 'sync']);

/** V8 options that already say how large the young generation may be: when one is given, the CLI sets nothing. */
const YOUNG_GENERATION_FLAGS = [
  '--max-semi-space-size',
  '--max_semi_space_size',
  '--min-semi-space-size',
  '--min_semi_space_size',
  '--semi-space-growth-factor',
  '--semi_space_growth_factor',
  '--optimize-for-size',
  '--optimize_for_size',
];

/**
 * The V8 flag that keeps the young generation small for `command` (the CLI's first argument,
 * `undefined` for none), or `null` when the command runs once and exits, or when Node was started
 * with a young-generation option of its own (in `execArgv` or `NODE_OPTIONS`).
 *
 * @example
 * ```ts
 * youngGenerationFlag('serve', [], undefined); // '--semi-space-growth-factor=1'
 * youngGenerationFlag('sync', [], undefined); // '--semi-space-growth-factor=1'
 * youngGenerationFlag('apikey', [], undefined); // null: a command that does not sync keeps V8's default
 * youngGenerationFlag('serve', [], '--max-semi-space-size=8'); // null: the operator's choice stands
 * ```
 */
export function youngGenerationFlag(command: string | undefined, execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  if (!SERVER_COMMANDS.has(command ?? 'serve')) return null;
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  const chosen = given.some((arg) => YOUNG_GENERATION_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
  return chosen ? null : SERVER_YOUNG_GENERATION_FLAG;
}

/** Where the process says that it started a worker thread (`process`, which emits `'worker'`). */
export interface WorkerEvents {
  /** Calls `listener` with each worker thread the process starts. */
  on(event: 'worker', listener: (worker: { once(event: 'online', listener: () => void): unknown }) => void): unknown;
}

/**
 * Applies {@link youngGenerationFlag} through `setFlags` (`v8.setFlagsFromString`), before the
 * young generation has grown, and again each time a worker thread (the SQLite store's writer)
 * is running: V8 raises this option back to 2 for the whole process whenever it sets up a new
 * isolate's heap. Returns the flag set, or `null`.
 */
export function tuneYoungGeneration(
  setFlags: (flags: string) => void,
  command: string | undefined,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env['NODE_OPTIONS'],
  workers: WorkerEvents = process,
): string | null {
  const flag = youngGenerationFlag(command, execArgv, nodeOptions);
  if (flag === null) return null;
  setFlags(flag);
  workers.on('worker', (worker) => worker.once('online', () => setFlags(flag)));
  return flag;
}
