import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { before, describe, it, type TestContext } from 'node:test';
import type { AuthModuleOptions } from '../../lib/auth-options.js';
import { runCacheAgreement, runDifferential, type Differential } from '../fixtures/differential-harness.js';
import { generateDifferentialKeys, type DifferentialKeys } from '../fixtures/differential-keys.js';

// The licence for the synchronous node:crypto signature path (lib/verification/signature.ts):
// on the adversarial suite and 100,000+ mutated tokens it must accept and refuse exactly
// what jose's jwtVerify does, with the same claims, except where a documented policy makes
// it stricter (test/fixtures/differential-policies.ts). Replay a failure with DIFFERENTIAL_SEED.
const SEED = process.env.DIFFERENTIAL_SEED === undefined ? randomInt(2 ** 31) : Number(process.env.DIFFERENTIAL_SEED);

const BASE: AuthModuleOptions = {
  issuer: 'https://issuer.example.com/tenant',
  audience: ['https://api.example.com', 'urn:example:second-api'],
};

function report(t: TestContext, run: Differential, started: number): void {
  t.diagnostic(`seed ${SEED}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const line of run.summary()) t.diagnostic(line);
}

function assertAgreement(run: Differential, leastAccepted: number): void {
  const shown = run.disagreements.slice(0, 10).join('\n');
  assert.equal(run.disagreements.length, 0, `${run.disagreements.length} disagreements; replay with DIFFERENTIAL_SEED=${SEED}\n${shown}`);
  // Agreement on refusals alone would prove nothing: a broken signer makes both refuse everything.
  assert.ok(run.acceptedByBoth >= leastAccepted, `only ${run.acceptedByBoth} tokens accepted by both (seed ${SEED})`);
}

describe('TokenVerifier agrees with jose jwtVerify (differential)', { timeout: 300_000 }, () => {
  let keys: DifferentialKeys;

  before(async () => {
    keys = await generateDifferentialKeys();
  });

  it('on the adversarial suite and 100,000 mutated tokens, with the default typ policy', async (t) => {
    const started = performance.now();
    const run = await runDifferential(keys, { ...BASE, clockTolerance: 5 }, { seed: SEED, distinct: 100_000, poolSize: 300 });
    report(t, run, started);
    assert.ok(run.tokens >= 100_000);
    assertAgreement(run, 5000);
    // Each documented strictness really is exercised, so each allowance is earned by real tokens.
    for (const policy of ['(a) non-canonical or non-base64url segment', '(b) crit or b64 header', '(c) default typ policy']) {
      assert.ok(run.stricter.get(policy)! > 0, `no token exercised ${policy}`);
    }
  });

  it('with tokenType at+jwt, required sub and client_id, a narrowed allow-list and a fractional tolerance', async (t) => {
    const started = performance.now();
    const options: AuthModuleOptions = {
      ...BASE,
      tokenType: 'at+jwt',
      requiredClaims: ['sub', 'client_id'],
      algorithms: ['RS256', 'PS384', 'ES256', 'ES512', 'EdDSA'],
      clockTolerance: 1.5,
    };
    const run = await runDifferential(keys, options, { seed: SEED + 1, distinct: 20_000, poolSize: 150 });
    report(t, run, started);
    assertAgreement(run, 400);
    assert.equal(run.stricter.get('(c) default typ policy'), 0);
  });

  it('answers from its token cache exactly what a fresh verification answers, up to the second a token expires', async (t) => {
    const outcome = await runCacheAgreement(keys, { ...BASE, clockTolerance: 5 }, { seed: SEED + 2, distinct: 8000, poolSize: 100 });
    const { checked, servedFromCache, expiredWhileCached } = outcome;
    t.diagnostic(`${checked} checks, ${servedFromCache} served from the cache, ${expiredWhileCached} expired while cached`);
    assert.deepEqual(outcome.mismatches.slice(0, 10), [], `seed ${SEED}`);
    assert.ok(outcome.servedFromCache >= 500, `only ${outcome.servedFromCache} cache hits`);
    assert.ok(outcome.expiredWhileCached > 0, 'no cached token reached its expiry during the test');
  });
});
