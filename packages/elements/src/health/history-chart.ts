/**
 * The last runs as a small inline SVG: one bar per run, oldest on the left, height for its
 * duration, colour and mark for its outcome (a failed run also carries a cross, so colour is
 * not the only sign). Each bar has a `<title>`; the whole chart has a text alternative.
 * @module
 */
import { svg, type SVGTemplateResult } from 'lit';
import { exactTime, formatDuration } from '../time.js';
import type { RunSummary } from './model.js';

const WIDTH = 240;
const HEIGHT = 48;
const GAP = 4;

const OUTCOME_WORDS: Readonly<Record<RunSummary['outcome'], string>> = { success: 'succeeded', failed: 'failed', skipped: 'skipped' };

/** The chart's text alternative: "Last 8 runs: 7 succeeded, 1 failed." */
export function historyLabel(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'No runs yet.';
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.outcome, (counts.get(run.outcome) ?? 0) + 1);
  const parts = (['success', 'failed', 'skipped'] as const).filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${OUTCOME_WORDS[o]}`);
  return `Last ${runs.length === 1 ? 'run' : `${runs.length} runs`}: ${parts.join(', ')}.`;
}

/** Bars for `runs` (newest first, as {@link summarizeRuns} gives them). */
export function historyBars(runs: readonly RunSummary[]): SVGTemplateResult {
  const ordered = [...runs].reverse();
  const slots = Math.max(ordered.length, 10);
  const barWidth = (WIDTH - GAP * (slots - 1)) / slots;
  const longest = Math.max(1, ...ordered.map((r) => r.durationMs));
  return svg`${ordered.map((run, i) => {
    const height = Math.max(4, Math.round(((HEIGHT - 2) * Math.sqrt(run.durationMs)) / Math.sqrt(longest)));
    const x = i * (barWidth + GAP);
    const y = HEIGHT - height;
    const title = `${exactTime(run.startedAt)}: ${OUTCOME_WORDS[run.outcome]} in ${formatDuration(run.durationMs)}${run.error ? ` — ${run.error.message}` : ''}`;
    return svg`<g class="bar ${run.outcome}" data-run=${run.runId}>
      <title>${title}</title>
      <rect x=${x} y=${y} width=${barWidth} height=${height} rx="2"></rect>
      ${run.outcome === 'failed' ? svg`<path class="mark" d="M${x + 2} ${y + 2} L${x + barWidth - 2} ${y + Math.min(barWidth, height) - 2} M${x + barWidth - 2} ${y + 2} L${x + 2} ${y + Math.min(barWidth, height) - 2}"></path>` : null}
    </g>`;
  })}`;
}

/** The chart's view box. */
export const HISTORY_VIEWBOX = `0 0 ${WIDTH} ${HEIGHT}`;
