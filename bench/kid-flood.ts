import type { TestIssuer } from '../lib/testing/index.js';
import { startBenchServer } from './bench-server.js';
import type { BenchConfig } from './config.js';
import { runLoad } from './load.js';
import { BENCH_AUDIENCE } from './protocol.js';
import type { AppKind } from './scenarios.js';
import type { BenchTokens } from './tokens.js';

type FloodedApp = Exclude<AppKind, 'none' | 'minimal'>;

export interface KidFloodResult {
  readonly app: FloodedApp;
  readonly tokens: number;
  readonly seconds: number;
  /** JWKS fetches the issuer saw during the flood. */
  readonly jwksFetches: number;
  /** Refetch limit in force: a cooldown in ms, or jwks-rsa's per-minute rate limit. */
  readonly limit: string;
  /** For ours: the most fetches "one per cooldown window" allows for this flood's duration. */
  readonly allowedFetches?: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly problem?: string;
}

// The minimal reference guard never refetches: it is not a library and has nothing to flood.
const FLOODED: readonly FloodedApp[] = ['ours', 'jose', 'passport', 'auth0'];
const LIMITS: Readonly<Record<FloodedApp, (cooldownMs: number) => string>> = {
  ours: (ms) => `jwksCooldown ${ms} ms`,
  jose: (ms) => `createRemoteJWKSet cooldownDuration ${ms} ms`,
  passport: () => 'jwks-rsa rateLimit: 10 fetches/min (default)',
  auth0: (ms) => `jose cooldownDuration ${ms} ms`,
};

async function flood(app: FloodedApp, config: BenchConfig, issuer: TestIssuer, tokens: BenchTokens, cpu: number | undefined): Promise<KidFloodResult> {
  const cooldown = config.floodCooldownMs;
  const server = await startBenchServer(
    { app, issuer: issuer.issuer, audience: BENCH_AUDIENCE, tokenCache: true, jwksCooldownMs: app === 'passport' ? undefined : cooldown },
    tokens.repeated.RS256,
    cpu,
  );
  try {
    // Let the boot-time fetch age past the cooldown, so the flood is allowed (exactly) one.
    await new Promise((resolve) => setTimeout(resolve, cooldown + 100));
    const before = issuer.requests.jwks;
    const load = await runLoad({ port: server.port, path: '/me', tokens: tokens.unknownKid, connections: config.connections, amount: tokens.unknownKid.length });
    await new Promise((resolve) => setTimeout(resolve, 200)); // fetches still in flight land in the count
    const jwksFetches = issuer.requests.jwks - before;
    const unexpected = Object.entries(load.statusCounts).filter(([code]) => code !== '401');
    return {
      app,
      tokens: load.requests,
      seconds: load.seconds,
      jwksFetches,
      limit: LIMITS[app](cooldown),
      allowedFetches: app === 'ours' ? Math.max(1, Math.ceil((load.seconds * 1000) / cooldown)) : undefined,
      statusCounts: load.statusCounts,
      problem:
        unexpected.length > 0 || load.errors > 0 || load.requests !== tokens.unknownKid.length
          ? `expected ${tokens.unknownKid.length} × 401, got ${JSON.stringify(load.statusCounts)}, ${load.errors} socket errors`
          : undefined,
    };
  } finally {
    await server.stop();
  }
}

/** Sends every unknown-`kid` token once to each library's app and counts JWKS fetches at the issuer. */
export async function runKidFlood(config: BenchConfig, issuer: TestIssuer, tokens: BenchTokens, cpu: number | undefined): Promise<KidFloodResult[]> {
  const results: KidFloodResult[] = [];
  for (const app of FLOODED) {
    try {
      results.push(await flood(app, config, issuer, tokens, cpu));
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      results.push({ app, tokens: 0, seconds: 0, jwksFetches: Number.NaN, limit: LIMITS[app](config.floodCooldownMs), statusCounts: {}, problem });
    }
  }
  return results;
}
