/**
 * Two and three `odoo-sync serve` processes on one SQLite file, runs forced on all of them at
 * the same moment, round after round; then the same with their clocks set apart (one ahead,
 * one behind). Each entity is synced by one process at a time (checked on the real time line:
 * every log entry's times, less its process's clock offset, never overlap another's), every
 * concurrent request is answered 202 or 409 `sync_in_progress`, and the store ends equal to
 * Odoo (0 missing, 0 extra, 0 different).
 */
import { ENTITY_NAMES } from '@odoo-sync/core';
import { SeededRandom } from '../../packages/odoo-sim/src/prng.js';
import { afterEach, expect, it } from 'vitest';
import { type Comparison, describeComparison } from './support/compare.js';
import { recordFigures } from './support/figures.js';
import { api, killAll, type ServerProcess, startServe, waitFor, waitIdle } from './support/processes.js';
import { createWorld, mutateOdoo, type World } from './support/scenario.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await killAll();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Entry {
  runId: string;
  entity: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

/** Which process ran each run (from its own `sync run started` log lines). */
function ownerOf(replicas: ServerProcess[], runId: string): number {
  const index = replicas.findIndex((r) => r.logs.some((line) => line['msg'] === 'sync run started' && line['runId'] === runId));
  if (index < 0) throw new Error(`no replica logged run ${runId}`);
  return index;
}

/** Pairs of entries of one entity whose real-time intervals overlap. */
function overlaps(entries: Entry[], replicas: ServerProcess[], offsets: number[]): string[] {
  const found: string[] = [];
  const worked = entries
    .filter((e) => e.status !== 'skipped' && e.finishedAt)
    .map((e) => {
      const owner = ownerOf(replicas, e.runId);
      const offset = offsets[owner] ?? 0;
      return { ...e, owner, from: Date.parse(e.startedAt) - offset, to: Date.parse(e.finishedAt!) - offset };
    });
  for (const entity of ENTITY_NAMES) {
    const spans = worked.filter((e) => e.entity === entity).sort((a, b) => a.from - b.from);
    for (let i = 1; i < spans.length; i++) {
      const previous = spans[i - 1]!;
      const current = spans[i]!;
      if (current.from < previous.to) found.push(`${entity}: replica ${previous.owner} run ${previous.runId} and replica ${current.owner} run ${current.runId} overlap by ${previous.to - current.from} ms`);
    }
  }
  return found;
}

async function forcedRounds(world: World, replicas: ServerProcess[], rounds: number, random: SeededRandom): Promise<{ accepted: number; refused: number }> {
  let accepted = 0;
  let refused = 0;
  for (let round = 0; round < rounds; round++) {
    mutateOdoo(world.sim, random);
    const mode = round % 2 === 0 ? 'full' : 'incremental';
    const answers = await Promise.all(replicas.map((r) => api(r.url, '/api/sync/run', { method: 'POST', body: { mode } })));
    for (const answer of answers) {
      expect([202, 409], JSON.stringify(answer.json)).toContain(answer.status);
      if (answer.status === 409) expect(answer.json.error.code).toBe('sync_in_progress');
    }
    expect(answers.some((a) => a.status === 202)).toBe(true);
    accepted += answers.filter((a) => a.status === 202).length;
    refused += answers.filter((a) => a.status === 409).length;
    await Promise.all(replicas.map((r) => waitIdle(r.url)));
  }
  return { accepted, refused };
}

async function scenario(seed: number, offsets: number[][], roundsPerGroup: number, latencyMs: number): Promise<{ rounds: number; comparison: Comparison; accepted: number; refused: number; entries: number }> {
  const world = await createWorld(seed);
  cleanups.push(() => world.close());
  const random = new SeededRandom(seed);
  world.sim.faults.latency(latencyMs);
  const allOffsets = offsets.at(-1)!;
  const replicas = await Promise.all(allOffsets.map((clockOffsetMs) => startServe(world.setup(undefined, { clockOffsetMs }))));
  replicas.forEach((replica, i) => {
    // The offset took: the process stamps its log lines with its own (skewed) clock.
    const listening = replica.logs.find((line) => line['msg'] === 'odoo-sync listening')!;
    const stamped = typeof listening['time'] === 'number' ? listening['time'] : Date.parse(String(listening['time']));
    expect(Math.abs(stamped - Date.now() - allOffsets[i]!)).toBeLessThan(15_000);
  });
  // All of them start at once, each with its startup run: one syncs, the others find it running.
  await waitFor(async () => {
    const logs = await api(replicas[0]!.url, '/api/sync/logs?limit=100');
    return (logs.json.items as Entry[]).filter((e) => e.status !== 'skipped').length >= ENTITY_NAMES.length;
  }, 90_000, 'the startup sync');
  await Promise.all(replicas.map((r) => waitIdle(r.url)));
  let accepted = 0;
  let refused = 0;
  for (const group of offsets) {
    const counts = await forcedRounds(world, replicas.slice(0, group.length), roundsPerGroup, random);
    accepted += counts.accepted;
    refused += counts.refused;
  }
  world.sim.faults.latency(0);
  const last = await api(replicas[0]!.url, '/api/sync/run', { method: 'POST', body: { mode: 'full' } });
  expect(last.status).toBe(202);
  await waitIdle(replicas[0]!.url);
  const logs = await api(replicas[0]!.url, '/api/sync/logs?limit=1000');
  const entries = logs.json.items as Entry[];
  expect(entries.filter((e) => e.status === 'failed')).toEqual([]);
  expect(overlaps(entries, replicas, allOffsets)).toEqual([]);
  const comparison = await world.compare();
  expect(comparison, describeComparison(comparison)).toMatchObject({ missing: 0, extra: 0, different: 0 });
  return { rounds: roundsPerGroup * offsets.length, comparison, accepted, refused, entries: entries.length };
}

it('two, then three server processes on one SQLite file, runs forced on all at once: one process per entity at a time, converges', { timeout: 180_000 }, async () => {
  const result = await scenario(4101, [[0, 0], [0, 0, 0]], 5, 0);
  recordFigures({
    scenario: 'two and three replicas on one SQLite file, runs forced concurrently',
    repetitions: result.rounds,
    recordsCompared: result.comparison.compared,
    mismatches: result.comparison.missing + result.comparison.extra + result.comparison.different,
    note: `${result.accepted} runs accepted, ${result.refused} refused with 409, ${result.entries} log entries checked for overlap`,
  });
});

// FAULTS_CLOCK_SKEW_MS sets the skew (default 10 s each way: 20 s between the farthest clocks,
// half the lease's slack, so the test is not at the edge of what holds). Missed renewals are timed on the
// taker's own clock, but a lease's expiry is written by the holder's clock and read by the
// reader's, so replicas whose clocks differ by more than the lease's slack (TTL 60 s less the
// 20 s between renewals) can run one entity at the same time: this test then fails.
it('three replicas whose clocks are 10 s ahead and 10 s behind, runs forced on all at once while Odoo is slow: no overlap, converges', { timeout: 180_000 }, async () => {
  const skew = Number(process.env['FAULTS_CLOCK_SKEW_MS'] ?? 10_000);
  const result = await scenario(4102, [[0, skew, -skew]], 6, 100);
  recordFigures({
    scenario: `clock skew between replicas (+${skew / 1000} s, -${skew / 1000} s)`,
    repetitions: result.rounds,
    recordsCompared: result.comparison.compared,
    mismatches: result.comparison.missing + result.comparison.extra + result.comparison.different,
    note: `${result.accepted} runs accepted, ${result.refused} refused with 409`,
  });
});
