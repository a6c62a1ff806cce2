import { randomUUID } from 'node:crypto';
import type { TestIssuer, TestIssuerAlgorithm } from '../lib/testing/index.js';
import { BENCH_SUBJECT } from './protocol.js';

export const BENCH_ALGORITHMS: readonly TestIssuerAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

/** Every token the benchmark sends, signed before anything is measured. */
export interface BenchTokens {
  readonly repeated: Readonly<Record<TestIssuerAlgorithm, string>>;
  readonly distinct: Readonly<Record<TestIssuerAlgorithm, readonly string[]>>;
  /** RS256 tokens whose `kid` the issuer never published. */
  readonly unknownKid: readonly string[];
}

// What a typical access token carries besides iss/aud/iat/exp/jti, so sizes are realistic.
const CLAIMS = { sub: BENCH_SUBJECT, scope: 'openid profile email orders:read orders:write', client_id: 'bench-client', azp: 'bench-client' };
const BATCH = 64; // signing runs on the thread pool; batches keep it busy without flooding memory

async function signMany(count: number, sign: () => Promise<string>): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    tokens.push(...(await Promise.all(Array.from({ length: Math.min(BATCH, count - tokens.length) }, sign))));
  }
  return tokens;
}

export async function signBenchTokens(issuer: TestIssuer, distinct: number, unknownKid: number): Promise<BenchTokens> {
  const repeated = {} as Record<TestIssuerAlgorithm, string>;
  const distinctByAlg = {} as Record<TestIssuerAlgorithm, string[]>;
  for (const alg of BENCH_ALGORITHMS) {
    repeated[alg] = await issuer.sign(CLAIMS, { alg });
    distinctByAlg[alg] = await signMany(distinct, () => issuer.sign(CLAIMS, { alg }));
  }
  const flood = await signMany(unknownKid, () => issuer.sign(CLAIMS, { alg: 'RS256', header: { kid: randomUUID() } }));
  return { repeated, distinct: distinctByAlg, unknownKid: flood };
}
