import { createPublicKey, verify, type JsonWebKey, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { importJWK, jwtVerify, type JWK } from 'jose';
import { staticVerifier } from '../test/fixtures/static-verifier.js';
import type { TestIssuer, TestIssuerAlgorithm } from '../lib/testing/index.js';
import { BENCH_AUDIENCE } from './protocol.js';
import { BENCH_ALGORITHMS, type BenchTokens } from './tokens.js';
import { median } from './stats.js';

export type MicroVariant = 'raw' | 'ours' | 'jose';

export const MICRO_LABELS: Readonly<Record<MicroVariant, string>> = {
  raw: 'crypto.verify, cached KeyObject, pre-split input',
  ours: 'TokenVerifier.verify (tokenCache: false)',
  jose: 'jose jwtVerify, local key',
};

export interface MicroFigure {
  readonly verificationsPerSecond: number;
  readonly cpuMicrosPerVerification: number;
}

export interface MicroSummary {
  readonly alg: TestIssuerAlgorithm;
  readonly figures: Readonly<Record<MicroVariant, MicroFigure>>;
  /** CPU per verification of `TokenVerifier` over raw `crypto.verify`. */
  readonly oursOverRaw: number;
}

/** One verification of token `i`; false (or a throw) means the benchmark is wrong, not slow. */
type Verification = (i: number) => boolean | Promise<boolean>;

function rawVerification(alg: TestIssuerAlgorithm, jwk: JWK, tokens: readonly string[]): Verification {
  const keyObject = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  const key: KeyObject | VerifyKeyObjectInput = alg === 'ES256' ? { key: keyObject, dsaEncoding: 'ieee-p1363' } : keyObject;
  const digest = alg === 'EdDSA' ? null : 'sha256';
  const split = tokens.map((token) => {
    const dot = token.lastIndexOf('.');
    return { data: Buffer.from(token.slice(0, dot)), signature: Buffer.from(token.slice(dot + 1), 'base64url') };
  });
  return (i) => {
    const { data, signature } = split[i % split.length] as { data: Buffer; signature: Buffer };
    return verify(digest, data, key, signature);
  };
}

async function oursVerification(issuer: TestIssuer, tokens: readonly string[]): Promise<Verification> {
  const verifier = await staticVerifier(issuer.jwks, { issuer: issuer.issuer, audience: BENCH_AUDIENCE, tokenCache: false });
  return (i) => {
    const claims = verifier.verify(tokens[i % tokens.length] as string);
    if (claims instanceof Promise) throw new Error('TokenVerifier went async with every key in memory');
    return claims.iss === issuer.issuer;
  };
}

async function joseVerification(issuer: TestIssuer, alg: TestIssuerAlgorithm, jwk: JWK, tokens: readonly string[]): Promise<Verification> {
  const key = await importJWK(jwk, alg);
  const options = { issuer: issuer.issuer, audience: BENCH_AUDIENCE, algorithms: [alg] };
  return async (i) => (await jwtVerify(tokens[i % tokens.length] as string, key, options)).payload.iss === issuer.issuer;
}

async function timed(verification: Verification, millis: number): Promise<MicroFigure> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + millis;
  let count = 0;
  do {
    for (let batch = 0; batch < 16; batch += 1, count += 1) {
      const outcome = verification(count);
      if (!(outcome instanceof Promise ? await outcome : outcome)) throw new Error('a valid token failed verification');
    }
  } while (performance.now() < deadline);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { verificationsPerSecond: count / seconds, cpuMicrosPerVerification: (cpu.user + cpu.system) / count };
}

/**
 * Verifications per second and CPU per verification, in this process, over the distinct
 * tokens: raw `crypto.verify` (the floor), our `TokenVerifier` with its cache off, and jose.
 * Variants are interleaved round by round; medians are reported.
 */
export async function runMicro(issuer: TestIssuer, tokens: BenchTokens, rounds: number, millis: number): Promise<MicroSummary[]> {
  const variants = new Map<TestIssuerAlgorithm, Record<MicroVariant, Verification>>();
  for (const alg of BENCH_ALGORITHMS) {
    const jwk = issuer.jwks.keys.find((key) => key.alg === alg) as JWK;
    const distinct = tokens.distinct[alg];
    variants.set(alg, {
      raw: rawVerification(alg, jwk, distinct),
      ours: await oursVerification(issuer, distinct),
      jose: await joseVerification(issuer, alg, jwk, distinct),
    });
  }
  const samples = new Map<string, MicroFigure[]>();
  for (let round = 0; round < rounds; round += 1) {
    for (const [alg, byVariant] of variants) {
      for (const variant of ['raw', 'ours', 'jose'] as const) {
        const key = `${alg} ${variant}`;
        samples.set(key, [...(samples.get(key) ?? []), await timed(byVariant[variant], millis)]);
      }
    }
  }
  return BENCH_ALGORITHMS.map((alg) => {
    const figure = (variant: MicroVariant): MicroFigure => {
      const list = samples.get(`${alg} ${variant}`) ?? [];
      return {
        verificationsPerSecond: median(list.map((s) => s.verificationsPerSecond)),
        cpuMicrosPerVerification: median(list.map((s) => s.cpuMicrosPerVerification)),
      };
    };
    const figures = { raw: figure('raw'), ours: figure('ours'), jose: figure('jose') };
    return { alg, figures, oursOverRaw: figures.ours.cpuMicrosPerVerification / figures.raw.cpuMicrosPerVerification };
  });
}
