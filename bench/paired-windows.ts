import type { BenchServer } from './bench-server.js';
import { problemOf, runLoad, type LoadOptions, type LoadResult } from './load.js';

/** One side of a pair: the load it gets and, for a bench app, how to read its server's CPU time. */
export interface PairSide {
  readonly load: Omit<LoadOptions, 'seconds' | 'amount'>;
  /** Absent for a server that cannot report its CPU time (the sample app). */
  readonly measureCpu?: BenchServer['measureCpu'];
}

/** One side's measured windows. */
export interface SideWindows {
  readonly windows: readonly LoadResult[];
  /** Server CPU time over all the windows, in µs; NaN when the server cannot report it. */
  readonly cpuMicros: number;
  /** The first window that does not count, and why. */
  readonly problem?: string;
}

/** Requests and seconds summed over the windows: rates taken from them weigh a longer window more. */
export function windowTotals(windows: readonly LoadResult[]): { requests: number; seconds: number } {
  return { requests: windows.reduce((total, w) => total + w.requests, 0), seconds: windows.reduce((total, w) => total + w.seconds, 0) };
}

/** Requests over seconds across the windows. */
export function windowsRate(windows: readonly LoadResult[]): number {
  const { requests, seconds } = windowTotals(windows);
  return requests / seconds;
}

/**
 * Brings a side up to speed before its first measured window: `requests` requests, and at least
 * one full pass over its tokens (so a "distinct, cache on" window measures a warm cache however
 * slow the machine), then `seconds` of load. Every side gets the same count: when only the
 * distinct-token sides got a fill pass, they beat the same work with one repeated token in
 * every library (cache off, RS256: 0.61× vs 0.56×) — the repeated side was measured younger.
 * Returns what went wrong, if anything.
 */
export async function warmUp(load: PairSide['load'], requests: number, seconds: number): Promise<string | undefined> {
  const fill = await runLoad({ ...load, amount: Math.max(requests, load.tokens?.length ?? 0) });
  const warm = await runLoad({ ...load, seconds });
  const problem = problemOf(fill) ?? problemOf(warm);
  return problem === undefined ? undefined : `warm-up: ${problem}`;
}

async function measureWindow(side: PairSide, seconds: number): Promise<{ load: LoadResult; cpuMicros: number }> {
  const run = (): Promise<LoadResult> => runLoad({ ...side.load, seconds });
  if (side.measureCpu === undefined) return { load: await run(), cpuMicros: Number.NaN };
  const { result, cpuMicros } = await side.measureCpu(run);
  return { load: result, cpuMicros };
}

/**
 * Alternating windows on two warm servers that share one core, only one of them under load
 * at a time: baseline, subject, subject, baseline, … (ABBA), `pairs` windows each. This VM has
 * slow periods of seconds to tens of seconds; windows a second apart see nearly the same
 * machine, and ABBA cancels a steady drift, where runs minutes apart put it all into the ratio.
 */
export async function measurePaired(
  baseline: PairSide,
  subject: PairSide,
  pairs: number,
  windowSeconds: number,
): Promise<{ baseline: SideWindows; subject: SideWindows }> {
  const sides = [baseline, subject] as const;
  const windows: [LoadResult[], LoadResult[]] = [[], []];
  const cpuMicros: [number, number] = [0, 0];
  for (let pair = 0; pair < pairs; pair += 1) {
    const order: readonly (0 | 1)[] = pair % 2 === 0 ? [0, 1] : [1, 0];
    for (const side of order) {
      const window = await measureWindow(sides[side], windowSeconds);
      windows[side].push(window.load);
      cpuMicros[side] += window.cpuMicros;
    }
  }
  const summary = (side: 0 | 1): SideWindows => ({
    windows: windows[side],
    cpuMicros: cpuMicros[side],
    problem: windows[side].map(problemOf).find((problem) => problem !== undefined),
  });
  return { baseline: summary(0), subject: summary(1) };
}
