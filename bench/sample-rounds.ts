import type { TestIssuer } from '../lib/testing/index.js';
import type { BenchConfig } from './config.js';
import { rowFigures, runPairedRounds, type PairedRun, type RowFigures } from './paired-rounds.js';
import type { PairSide } from './paired-windows.js';
import { BENCH_AUDIENCE } from './protocol.js';
import { isMeAnswer, isPublicAnswer, startSample } from './sample-server.js';
import type { BenchTokens } from './tokens.js';

export type SampleRoute = 'public' | 'me-repeated' | 'me-distinct';

/** One route of the sample app over the rounds; `ratio` is to its own `GET /public` (1 for that row). */
export interface SampleRow extends RowFigures {
  readonly route: SampleRoute;
  readonly label: string;
  readonly runs: readonly PairedRun[];
}

interface RouteLoad {
  readonly route: SampleRoute;
  readonly label: string;
  readonly path: string;
  readonly tokens?: readonly string[];
}

/**
 * The sample (`npm start` with `PORT`, `AUTH_ISSUER`, `AUTH_AUDIENCE`; default options, so
 * the verified-token cache is on) measured from outside: `GET /me` against the same process's
 * `GET /public` in paired windows, a fresh sample per round.
 *
 * `/public` is loaded without an `Authorization` header, as its callers send it and as anyone
 * checking "its own GET /public throughput" with a load generator would: the stricter reading,
 * since receiving and parsing the token's bytes counts against `/me`, as it does in production.
 */
export async function runSampleRounds(
  config: BenchConfig,
  issuer: TestIssuer,
  tokens: BenchTokens,
  cpu: number | undefined,
  log: (line: string) => void,
): Promise<SampleRow[]> {
  const token = tokens.repeated.RS256;
  const publicRoute: RouteLoad = { route: 'public', label: 'sample GET /public (no token)', path: '/public' };
  const meRoutes: readonly RouteLoad[] = [
    { route: 'me-repeated', label: 'sample GET /me · one repeated RS256 token', path: '/me', tokens: [token] },
    { route: 'me-distinct', label: `sample GET /me · ${tokens.distinct.RS256.length} distinct RS256 tokens`, path: '/me', tokens: tokens.distinct.RS256 },
  ];
  const side = (port: number, route: RouteLoad): PairSide => ({
    load: { port, path: route.path, tokens: route.tokens, connections: config.connections, verifyBody: route.tokens === undefined ? isPublicAnswer : isMeAnswer },
  });
  const runs = await runPairedRounds(
    {
      baseline: publicRoute,
      subjects: meRoutes,
      label: (route) => route.label,
      async openBaseline() {
        const sample = await startSample(issuer.issuer, BENCH_AUDIENCE, token, cpu);
        return { side: side(sample.port, publicRoute), close: sample.stop };
      },
      // Every route is served by the one sample process of the round: nothing to start or stop.
      openSubject: async (route, baseline) => ({ side: side(baseline.load.port, route), close: async () => {} }),
    },
    config,
    log,
  );
  return [publicRoute, ...meRoutes].map((route) => {
    const routeRuns = runs.get(route) ?? [];
    return { route: route.route, label: route.label, runs: routeRuns, ...rowFigures(routeRuns) };
  });
}
