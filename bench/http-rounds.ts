import type { TestIssuer } from '../lib/testing/index.js';
import { startBenchServer } from './bench-server.js';
import type { BenchConfig } from './config.js';
import { rowFigures, runPairedRounds, type OpenSide, type PairedRun, type RowFigures } from './paired-rounds.js';
import { BENCH_AUDIENCE, ME_BODY, type ServerConfig } from './protocol.js';
import type { Scenario } from './scenarios.js';
import type { BenchTokens } from './tokens.js';

/** One HTTP scenario over the rounds; the no-auth ceiling's row has ratio 1. */
export interface ScenarioSummary extends Omit<RowFigures, 'ratio'> {
  readonly scenario: Scenario;
  readonly runs: readonly PairedRun[];
  /** Median over rounds of req/s over the no-auth ceiling's req/s in the paired windows. */
  readonly ratioToNoAuth: number;
}

/** Boots a bench app in its own child and points `GET /me` load at it. */
async function openBenchApp(config: ServerConfig, sent: readonly string[], validToken: string, connections: number, cpu: number | undefined): Promise<OpenSide> {
  const server = await startBenchServer(config, validToken, cpu);
  return {
    side: { load: { port: server.port, path: '/me', tokens: sent, connections, verifyBody: (body) => body === ME_BODY }, measureCpu: server.measureCpu },
    close: server.stop,
  };
}

/**
 * Every scenario in every round, each in a fresh server child, measured in windows paired with
 * the no-auth ceiling: one warm ceiling child per round, on the same core, idle while the
 * scenario runs and vice versa, sent the same requests. The first scenario (`httpScenarios`) is
 * the ceiling.
 */
export async function runHttpRounds(
  scenarios: readonly Scenario[],
  config: BenchConfig,
  issuer: TestIssuer,
  tokens: BenchTokens,
  cpu: number | undefined,
  log: (line: string) => void,
): Promise<ScenarioSummary[]> {
  const [ceiling, ...subjects] = scenarios;
  if (ceiling === undefined || ceiling.app !== 'none') throw new Error('the first HTTP scenario must be the no-auth ceiling');
  const open = (scenario: Scenario): Promise<OpenSide> =>
    openBenchApp(
      { app: scenario.app, issuer: issuer.issuer, audience: BENCH_AUDIENCE, tokenCache: scenario.tokenCache },
      scenario.tokens === 'repeated' ? [tokens.repeated[scenario.alg]] : tokens.distinct[scenario.alg],
      tokens.repeated[scenario.alg],
      config.connections,
      cpu,
    );
  const runs = await runPairedRounds(
    {
      baseline: ceiling,
      subjects,
      label: (scenario) => scenario.label,
      openBaseline: () => open(ceiling),
      openSubject: open,
      // The ceiling ignores the token but still receives and parses its bytes: it is sent the
      // scenario's own tokens, so an ES256 token (~260 bytes shorter than RS256's) is not
      // measured against a ceiling that reads longer requests.
      pairedBaseline: (baseline, subject) => ({ ...baseline, load: { ...baseline.load, tokens: subject.load.tokens } }),
    },
    config,
    log,
  );
  return scenarios.map((scenario) => {
    const scenarioRuns = runs.get(scenario) ?? [];
    const { ratio, ...figures } = rowFigures(scenarioRuns);
    return { scenario, runs: scenarioRuns, ...figures, ratioToNoAuth: ratio };
  });
}
