/** How long and how hard the benchmark runs. `BENCH_QUICK=1` is a ~30 s smoke run, not a measurement. */
export interface BenchConfig {
  readonly quick: boolean;
  /** Interleaved rounds over every HTTP scenario; ratios are taken within a round. */
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
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
    warmupSeconds: quick ? 0.3 : 1,
    measureSeconds: quick ? 0.7 : 3,
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
