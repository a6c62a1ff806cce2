import type { TestIssuer } from '../lib/testing/index.js';
import { startBenchServer } from './bench-server.js';
import type { BenchConfig } from './config.js';
import { runLoad, type LoadResult } from './load.js';
import { ME_BODY } from './protocol.js';
import type { Scenario } from './scenarios.js';
import { median } from './stats.js';
import type { BenchTokens } from './tokens.js';

/** One measured window of one scenario in one round. */
export interface ScenarioRun {
  readonly round: number;
  readonly load?: LoadResult;
  readonly cpuMicrosPerRequest: number;
  /**
   * Server CPU time over wall time in the window (1 = one core busy). Well below 1 for the
   * no-auth app means the load generator, not the server, was the bottleneck.
   */
  readonly serverCpuShare: number;
  /** req/s over the no-auth app's req/s in the same round. */
  readonly ratioToNoAuth: number;
  /** Every answer a 200 with the expected body, no socket error; otherwise why not. */
  readonly problem?: string;
}

export interface ScenarioSummary {
  readonly scenario: Scenario;
  readonly runs: readonly ScenarioRun[];
  readonly valid: boolean;
  /** Medians over the rounds. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMicrosPerRequest: number;
  readonly serverCpuShare: number;
  readonly ratioToNoAuth: number;
}

type Measured = Omit<ScenarioRun, 'ratioToNoAuth'>;

function problemOf(load: LoadResult): string | undefined {
  if (load.requests === 0) return 'no answers';
  const bad = [
    load.non2xx > 0 ? `${load.non2xx} non-2xx (${JSON.stringify(load.statusCounts)})` : '',
    load.errors > 0 ? `${load.errors} socket errors` : '',
    load.timeouts > 0 ? `${load.timeouts} timeouts` : '',
    load.mismatches > 0 ? `${load.mismatches} wrong bodies` : '',
  ].filter(Boolean);
  return bad.length > 0 ? bad.join(', ') : undefined;
}

async function measure(scenario: Scenario, round: number, config: BenchConfig, issuer: TestIssuer, tokens: BenchTokens, cpu: number | undefined): Promise<Measured> {
  const sent = scenario.tokens === 'repeated' ? [tokens.repeated[scenario.alg]] : tokens.distinct[scenario.alg];
  const server = await startBenchServer(
    { app: scenario.app, issuer: issuer.issuer, audience: 'https://api.test', tokenCache: scenario.tokenCache },
    tokens.repeated[scenario.alg],
    cpu,
  );
  try {
    const base = { port: server.port, tokens: sent, connections: config.connections, expectBody: ME_BODY };
    // One full pass first, so a "distinct, cache on" window measures a warm cache however slow the machine.
    const fill = sent.length > 1 ? await runLoad({ ...base, amount: sent.length }) : undefined;
    const warmup = await runLoad({ ...base, seconds: config.warmupSeconds });
    const warmupProblem = (fill === undefined ? undefined : problemOf(fill)) ?? problemOf(warmup);
    const { result: load, cpuMicros } = await server.measureCpu(() => runLoad({ ...base, seconds: config.measureSeconds }));
    const problem = problemOf(load) ?? (warmupProblem === undefined ? undefined : `warm-up: ${warmupProblem}`);
    return { round, load, cpuMicrosPerRequest: cpuMicros / Math.max(1, load.requests), serverCpuShare: cpuMicros / (load.seconds * 1e6), problem };
  } finally {
    await server.stop();
  }
}

/**
 * Every scenario once per round, each in a fresh server child: warm-up, then the measured
 * window. Rounds start at different scenarios so none always runs first or last.
 */
export async function runHttpRounds(
  scenarios: readonly Scenario[],
  config: BenchConfig,
  issuer: TestIssuer,
  tokens: BenchTokens,
  cpu: number | undefined,
  log: (line: string) => void,
): Promise<ScenarioSummary[]> {
  const measured = new Map<string, Measured[]>(scenarios.map((s) => [s.id, []]));
  const ceilingId = scenarios[0]?.id;
  const ratios = new Map<string, number[]>(scenarios.map((s) => [s.id, []]));
  for (let round = 0; round < config.rounds; round += 1) {
    const shift = (round * Math.ceil(scenarios.length / config.rounds)) % scenarios.length;
    const order = [...scenarios.slice(shift), ...scenarios.slice(0, shift)];
    const thisRound = new Map<string, Measured>();
    for (const scenario of order) {
      let run: Measured;
      try {
        run = await measure(scenario, round, config, issuer, tokens, cpu);
      } catch (error) {
        run = { round, cpuMicrosPerRequest: Number.NaN, serverCpuShare: Number.NaN, problem: error instanceof Error ? error.message : String(error) };
      }
      thisRound.set(scenario.id, run);
      measured.get(scenario.id)?.push(run);
      const rps = run.load?.requestsPerSecond.toFixed(0) ?? '-';
      log(`round ${round + 1}/${config.rounds}  ${scenario.label.padEnd(62)} ${rps.padStart(7)} req/s${run.problem === undefined ? '' : `  INVALID: ${run.problem}`}`);
    }
    const ceiling = ceilingId === undefined ? undefined : thisRound.get(ceilingId);
    for (const [id, run] of thisRound) {
      const valid = run.problem === undefined && ceiling?.problem === undefined;
      ratios.get(id)?.push(valid && run.load && ceiling?.load ? run.load.requestsPerSecond / ceiling.load.requestsPerSecond : Number.NaN);
    }
  }
  return scenarios.map((scenario) => {
    const runs = (measured.get(scenario.id) ?? []).map((run, i): ScenarioRun => ({ ...run, ratioToNoAuth: ratios.get(scenario.id)?.[i] ?? Number.NaN }));
    const loads = runs.flatMap((run) => (run.load === undefined ? [] : [run.load]));
    return {
      scenario,
      runs,
      valid: runs.length > 0 && runs.every((run) => run.problem === undefined),
      requestsPerSecond: median(loads.map((l) => l.requestsPerSecond)),
      p50Ms: median(loads.map((l) => l.p50Ms)),
      p99Ms: median(loads.map((l) => l.p99Ms)),
      cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
      serverCpuShare: median(runs.map((r) => r.serverCpuShare)),
      ratioToNoAuth: median(runs.map((r) => r.ratioToNoAuth)),
    };
  });
}
