import type { BenchConfig } from './config.js';
import type { LoadResult } from './load.js';
import { measurePaired, warmUp, windowTotals, windowsRate, type PairSide, type SideWindows } from './paired-windows.js';
import { median } from './stats.js';

/** A server side brought up and checked (not yet warmed). */
export interface OpenSide {
  readonly side: PairSide;
  close(): Promise<void>;
}

/** One baseline and the subjects measured against it, round after round. */
export interface PairedRoundsPlan<Row> {
  readonly baseline: Row;
  readonly subjects: readonly Row[];
  label(row: Row): string;
  /** Brings up this round's baseline; it stays up while every subject is measured against it. */
  openBaseline(): Promise<OpenSide>;
  /** Brings up one subject next to the open baseline, for its windows only. */
  openSubject(subject: Row, baseline: PairSide): Promise<OpenSide>;
  /** The baseline as loaded in the windows paired with `subject`; the baseline's own side when absent. */
  pairedBaseline?(baseline: PairSide, subject: PairSide): PairSide;
}

/** One row in one round. */
export interface PairedRun {
  readonly round: number;
  /** Its measured windows in the order run (the baseline's: every one of the round). */
  readonly windows: readonly LoadResult[];
  /** Requests over seconds across its windows. */
  readonly requestsPerSecond: number;
  /** NaN where the server cannot report its CPU time. */
  readonly cpuMicrosPerRequest: number;
  /** Server CPU time over wall time in its windows (1 = one core busy); NaN as above. */
  readonly serverCpuShare: number;
  /** Its req/s over the baseline's in the windows paired with its own (1 for the baseline). */
  readonly ratio: number;
  /** Every answer (warm-up included) a 200 with the expected body, no socket error; otherwise why not. */
  readonly problem?: string;
}

/** A row's figures over the rounds. */
export interface RowFigures {
  readonly valid: boolean;
  /** req/s and latencies: medians over all its windows. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU and ratio: medians over the rounds. */
  readonly cpuMicrosPerRequest: number;
  readonly serverCpuShare: number;
  readonly ratio: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failedRun(round: number, problem: string): PairedRun {
  const nan = Number.NaN;
  return { round, windows: [], requestsPerSecond: nan, cpuMicrosPerRequest: nan, serverCpuShare: nan, ratio: nan, problem };
}

function pairedRun(round: number, measured: SideWindows, ratio: number, problem: string | undefined): PairedRun {
  const { windows, cpuMicros } = measured;
  if (windows.length === 0) return failedRun(round, problem ?? 'no measured window');
  const { requests, seconds } = windowTotals(windows);
  return {
    round,
    windows,
    requestsPerSecond: requests / seconds,
    cpuMicrosPerRequest: cpuMicros / Math.max(1, requests),
    serverCpuShare: cpuMicros / (seconds * 1e6),
    ratio: problem === undefined ? ratio : Number.NaN,
    problem,
  };
}

type WarmSide = OpenSide & { readonly warmupProblem?: string };

/** Opens a side, warms it, and closes it again if either fails. */
async function openWarm(open: () => Promise<OpenSide>, config: BenchConfig): Promise<WarmSide> {
  const opened = await open();
  try {
    return { ...opened, warmupProblem: await warmUp(opened.side.load, config.warmupRequests, config.warmupSeconds) };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/** A subject's run counts only if its own answers and its baseline's (warm-up included) were all right. */
async function measureSubject<Row>(
  plan: PairedRoundsPlan<Row>,
  subject: Row,
  baseline: WarmSide,
  round: number,
  config: BenchConfig,
): Promise<{ baseline: SideWindows; run: PairedRun }> {
  const opened = await openWarm(() => plan.openSubject(subject, baseline.side), config);
  try {
    const baselineSide = plan.pairedBaseline?.(baseline.side, opened.side) ?? baseline.side;
    const paired = await measurePaired(baselineSide, opened.side, config.windowPairs, config.windowSeconds);
    const baselineProblem = paired.baseline.problem ?? baseline.warmupProblem;
    const problem = paired.subject.problem ?? opened.warmupProblem ?? (baselineProblem === undefined ? undefined : `${plan.label(plan.baseline)}: ${baselineProblem}`);
    const ratio = windowsRate(paired.subject.windows) / windowsRate(paired.baseline.windows);
    return { baseline: paired.baseline, run: pairedRun(round, paired.subject, ratio, problem) };
  } finally {
    await opened.close();
  }
}

/**
 * Every round brings up a fresh baseline, then measures each subject in paired windows next to
 * it (see `measurePaired`): one ratio per subject and round. Rounds start at different subjects
 * so none always runs first or last.
 */
export async function runPairedRounds<Row>(plan: PairedRoundsPlan<Row>, config: BenchConfig, log: (line: string) => void): Promise<Map<Row, PairedRun[]>> {
  const runs = new Map<Row, PairedRun[]>([plan.baseline, ...plan.subjects].map((row) => [row, []]));
  const { subjects } = plan;
  const { rounds } = config;
  for (let round = 0; round < rounds; round += 1) {
    const record = (row: Row, run: PairedRun): void => {
      runs.get(row)?.push(run);
      const figures = `${run.requestsPerSecond.toFixed(0).padStart(7)} req/s ${run.ratio.toFixed(2).padStart(5)}×`;
      log(`round ${round + 1}/${rounds}  ${plan.label(row).padEnd(62)} ${figures}${run.problem === undefined ? '' : `  INVALID: ${run.problem}`}`);
    };
    const shift = (round * Math.ceil(subjects.length / rounds)) % subjects.length;
    const order = [...subjects.slice(shift), ...subjects.slice(0, shift)];
    const baselineWindows: SideWindows[] = [];
    let baseline: WarmSide | undefined;
    let baselineProblem: string | undefined;
    try {
      baseline = await openWarm(() => plan.openBaseline(), config);
      baselineProblem = baseline.warmupProblem;
    } catch (error) {
      baselineProblem = `did not start: ${messageOf(error)}`;
    }
    try {
      for (const subject of order) {
        if (baseline === undefined) {
          record(subject, failedRun(round, `${plan.label(plan.baseline)} ${baselineProblem}`));
          continue;
        }
        try {
          const measured = await measureSubject(plan, subject, baseline, round, config);
          baselineWindows.push(measured.baseline);
          record(subject, measured.run);
        } catch (error) {
          record(subject, failedRun(round, messageOf(error)));
        }
      }
    } finally {
      await baseline?.close();
    }
    const merged: SideWindows = {
      windows: baselineWindows.flatMap((side) => side.windows),
      cpuMicros: baselineWindows.reduce((total, side) => total + side.cpuMicros, 0),
    };
    record(plan.baseline, pairedRun(round, merged, 1, baselineProblem ?? baselineWindows.find((side) => side.problem !== undefined)?.problem));
  }
  return runs;
}

/** A row's figures from its runs: valid only if every run was. */
export function rowFigures(runs: readonly PairedRun[]): RowFigures {
  const windows = runs.flatMap((run) => run.windows);
  return {
    valid: runs.length > 0 && runs.every((run) => run.problem === undefined),
    requestsPerSecond: median(windows.map((w) => w.requestsPerSecond)),
    p50Ms: median(windows.map((w) => w.p50Ms)),
    p99Ms: median(windows.map((w) => w.p99Ms)),
    cpuMicrosPerRequest: median(runs.map((run) => run.cpuMicrosPerRequest)),
    serverCpuShare: median(runs.map((run) => run.serverCpuShare)),
    ratio: median(runs.map((run) => run.ratio)),
  };
}
