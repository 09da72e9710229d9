/**
 * SIGKILL of a real `odoo-sync serve` process at seeded points of full and incremental runs
 * (the Nth request to Odoo, half the time a few ms after it so the kill lands while the answer
 * is applied to the store), restart, and the store converges on Odoo: 0 missing, 0 extra,
 * 0 different. Two independent lanes (own Odoo, own store) run side by side to use both cores.
 */
import { SeededRandom } from '../../packages/odoo-sim/src/prng.js';
import { afterEach, expect, it } from 'vitest';
import { type Comparison, describeComparison } from './support/compare.js';
import { recordFigures } from './support/figures.js';
import { startOdooProxy } from './support/odoo-proxy.js';
import { api, killAll, runLogs, type ServerProcess, startServe, waitFor, waitIdle } from './support/processes.js';
import { createWorld, mutateOdoo, type World } from './support/scenario.js';

const LANES = [1201, 1202];
const KILLS_PER_LANE = 11;
const CHECK_EVERY = 4;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await killAll();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function runTo(server: ServerProcess, mode: 'full' | 'incremental'): Promise<string> {
  const started = await api(server.url, '/api/sync/run', { method: 'POST', body: { mode } });
  expect(started.status, `POST /api/sync/run after a restart: ${JSON.stringify(started.json)}`).toBe(202);
  return started.json.runId as string;
}

interface LaneResult {
  kills: { full: number; incremental: number };
  compared: number;
  comparisons: Comparison[];
  requestsPerRun: { full: number; incremental: number };
}

async function lane(seed: number): Promise<LaneResult> {
  const world: World = await createWorld(seed);
  cleanups.push(() => world.close());
  const proxy = await startOdooProxy(world.sim.url);
  cleanups.push(() => proxy.close());
  const random = new SeededRandom(seed);

  /**
   * Starts a server; after a crash its startup run must not be skipped, and it must end. The one
   * exception is a SIGKILL that landed just after the killed run had finished (a kill delayed
   * past the run's last request): nothing is left to resume, and skipping a startup run right
   * after a finished one is what the scheduler must do. `killedRunId` tells that case apart: its
   * log then holds a success for every entity.
   */
  const restart = async (since: string, killedRunId: string | null): Promise<ServerProcess> => {
    const server = await startServe(world.setup(proxy.url));
    await waitFor(async () => {
      const logs = await api(server.url, '/api/sync/logs?limit=100');
      if ((logs.json.items as Array<{ trigger: string; startedAt: string }>).some((e) => e.trigger === 'startup' && e.startedAt >= since)) return true;
      if (killedRunId === null) return false;
      const killed = await runLogs(server.url, killedRunId);
      return killed.length === 6 && killed.every((e) => e.status === 'success');
    }, 60_000, 'the startup run after a restart (a run that never finished is resumed at start)');
    await waitIdle(server.url);
    return server;
  };

  let server = await restart(new Date().toISOString(), null);
  // Requests to Odoo in one run of each mode, to spread the kill points over a whole run.
  const requestsPerRun = { full: 0, incremental: 0 };
  for (const mode of ['full', 'incremental'] as const) {
    mutateOdoo(world.sim, random);
    const before = proxy.requests;
    await runTo(server, mode);
    await waitIdle(server.url);
    requestsPerRun[mode] = proxy.requests - before;
  }

  const result: LaneResult = { kills: { full: 0, incremental: 0 }, compared: 0, comparisons: [], requestsPerRun };
  const check = async () => {
    await runTo(server, 'full');
    await waitIdle(server.url);
    const comparison = await world.compare();
    result.compared += comparison.compared;
    result.comparisons.push(comparison);
    expect(comparison, describeComparison(comparison)).toMatchObject({ missing: 0, extra: 0, different: 0 });
  };
  let attempts = 0;
  while (result.kills.full + result.kills.incremental < KILLS_PER_LANE && attempts < KILLS_PER_LANE * 3) {
    attempts++;
    const mode = attempts % 2 === 0 ? 'full' : 'incremental';
    mutateOdoo(world.sim, random);
    const at = proxy.requests + random.int(1, requestsPerRun[mode]);
    const delayMs = random.chance(0.5) ? random.int(1, 25) : 0;
    const victim = server.child;
    // Whether the SIGKILL was sent decides what happened, not which request it interrupted: a
    // kill can land on the POST that starts the run, on the status polls, or just after the run
    // ended. A delayed kill still pending once the run is over is cancelled.
    let killSent = false;
    const delayed: { timer?: NodeJS.Timeout } = {};
    const kill = () => {
      killSent = true;
      victim.kill('SIGKILL');
    };
    proxy.onRequest = (count) => {
      if (count !== at) return;
      if (delayMs === 0) kill();
      else delayed.timer = setTimeout(kill, delayMs);
    };
    let runId: string | null = null;
    try {
      runId = await runTo(server, mode);
      const idle = waitIdle(server.url);
      idle.catch(() => undefined); // once the process has exited, the polls fail; that is expected
      await Promise.race([server.exit, idle]);
    } catch (error) {
      // A request cut by the kill; anything else is a real failure.
      if (!killSent) throw error;
    }
    proxy.onRequest = null;
    clearTimeout(delayed.timer);
    if (!killSent) {
      // The run ended before its kill point: not a kill point, and its log is complete.
      expect((await runLogs(server.url, runId!)).map((e) => e.status)).toEqual(Array(6).fill('success'));
      continue;
    }
    await server.exit;
    result.kills[mode]++;
    server = await restart(new Date().toISOString(), runId);
    if ((result.kills.full + result.kills.incremental) % CHECK_EVERY === 0) await check();
  }
  mutateOdoo(world.sim, random);
  await check();
  return result;
}

it(`converges after ${LANES.length * KILLS_PER_LANE} SIGKILLs at seeded points of full and incremental runs`, { timeout: 600_000 }, async () => {
  const results = await Promise.all(LANES.map((seed) => lane(seed)));
  const kills = results.reduce((n, r) => n + r.kills.full + r.kills.incremental, 0);
  const full = results.reduce((n, r) => n + r.kills.full, 0);
  const comparisons = results.flatMap((r) => r.comparisons);
  recordFigures({
    scenario: 'SIGKILL of the server during runs, restart, converge',
    repetitions: kills,
    recordsCompared: comparisons.reduce((n, c) => n + c.compared, 0),
    mismatches: comparisons.reduce((n, c) => n + c.missing + c.extra + c.different, 0),
    note: `${full} kills in full runs, ${kills - full} in incremental runs, ${comparisons.length} comparisons; ${results[0]!.requestsPerRun.full} Odoo requests per run`,
  });
  expect(kills).toBeGreaterThanOrEqual(20);
  expect(full).toBeGreaterThanOrEqual(8);
  expect(kills - full).toBeGreaterThanOrEqual(8);
});
