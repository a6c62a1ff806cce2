/** How long and how hard the benchmark runs. `BENCH_QUICK=1` is a ~1 min smoke run, not a measurement. */
export interface BenchConfig {
  readonly quick: boolean;
  /** Rounds over every HTTP scenario (and the sample); ratios are taken within a round, reported as their median. */
  readonly rounds: number;
  /** Requests to each server (and each sample route) before its first measured window, then `warmupSeconds` more. */
  readonly warmupRequests: number;
  readonly warmupSeconds: number;
  /** Length of one measured window. */
  readonly windowSeconds: number;
  /**
   * Baseline/scenario window pairs per scenario and round, run ABBA (baseline, scenario,
   * scenario, baseline, …): an even count lets each side run first as often as second.
   * The quick run's single pair only proves the machinery works.
   */
  readonly windowPairs: number;
  /** autocannon connections, pipelining 1. `BENCH_CONNECTIONS` overrides the default 10. */
  readonly connections: number;
  /** Distinct tokens sent round-robin in the "distinct" scenarios. */
  readonly distinctTokens: number;
  /** Tokens with unknown `kid`s sent once each to every library. */
  readonly floodTokens: number;
  /** Cooldown given to ours (and jose's remote JWKS in express-oauth2-jwt-bearer) during the kid flood. */
  readonly floodCooldownMs: number;
  readonly microRounds: number;
  readonly microMillis: number;
  readonly memoryTokens: number;
  readonly memoryMaxEntries: number;
  /** Pin the server child to one core and the load generator to the others (Linux `taskset`). */
  readonly pinCpus: boolean;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  return {
    quick,
    rounds: quick ? 1 : 3,
    warmupRequests: quick ? 2000 : 5000,
    warmupSeconds: quick ? 0.3 : 1,
    windowSeconds: quick ? 0.75 : 0.5,
    windowPairs: quick ? 1 : 8,
    connections: Number(env.BENCH_CONNECTIONS ?? 10),
    distinctTokens: 2000,
    floodTokens: 1000,
    floodCooldownMs: 1000,
    microRounds: quick ? 1 : 3,
    microMillis: quick ? 200 : 1000,
    memoryTokens: quick ? 200_000 : 1_000_000,
    memoryMaxEntries: 10_000,
    pinCpus: env.BENCH_PIN !== '0',
  };
}
