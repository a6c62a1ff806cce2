import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AuthError, AuthModule, InvalidTokenError, TokenVerifier, type AccessTokenClaims } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { assertAnswer, assertClaimsRoundTrip, leakProbes } from '../../fixtures/forge-expect.js';
import { applyMutations, authorizationValue, mutations } from '../../fixtures/forge-mutations.js';
import { rawRequest } from '../../fixtures/forge-request.js';
import { ForgeKey, validClaims } from '../../fixtures/forge.js';
import { describeOnEachPlatform, startApp, type TestApp } from '../../fixtures/test-app.js';

// Property-based fuzzing with a fixed seed: the same cases run every time. A failure prints
// its seed and shrunk counterexample; rerun it with FUZZ_SEED=<seed>.

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_704);
const audience = 'https://api.test';
const TOLERANCE = 5;
const CLAIM_FAILURES = new Set([
  'auth.token_expired',
  'auth.token_not_yet_valid',
  'auth.token_issuer_invalid',
  'auth.token_audience_invalid',
  'auth.token_claim_missing',
  'auth.token_claim_invalid',
]);

/**
 * The token the guard would read from `Bearer <mutant>`: Node trims spaces and tabs at the
 * end of a header value, and the extractor skips spaces after the scheme. A mutation that
 * only adds those is an identity on the wire.
 */
const onTheWire = (mutant: string): string => mutant.replace(/^ +/, '').replace(/[ \t]+$/, '');

/** What `verify` did: the claims, or the error it threw or rejected with. */
async function outcome(verifier: TokenVerifier, token: string): Promise<AccessTokenClaims | Error> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    return error as Error;
  }
}

describe('hardening: fuzzing', () => {
  let issuer: TestIssuer;
  let published: ForgeKey;
  let originals: string[];

  before(async () => {
    issuer = await TestIssuer.start({ audience });
    published = new ForgeKey('EdDSA', 'fuzz-published-eddsa');
    issuer.setJwks({ keys: [...issuer.jwks.keys, published.publicJwk] });
    originals = [
      await issuer.sign({ sub: 'fuzz-canary-rs256' }, { alg: 'RS256' }),
      await issuer.sign({ sub: 'fuzz-canary-es256' }, { alg: 'ES256' }),
      await issuer.sign({ sub: 'fuzz-canary-eddsa', scope: 'orders:write' }, { alg: 'EdDSA' }),
    ];
  });
  after(() => issuer.stop());

  describeOnEachPlatform(
    (platform) => `through HTTP on ${platform}`,
    () => [AuthModule.forRoot({ issuer: issuer.issuer, audience })],
    [MeController],
    (app) => {
      it('answers random Authorization values with 400/401 (or Node\'s 400/431), never 2xx or 5xx', async () => {
        await fc.assert(
          fc.asyncProperty(authorizationValue, async (value) => {
            const answer = await rawRequest(app.url, { headers: [['Authorization', value]] });
            assertAnswer(answer, { status: [400, 401, 431] });
          }),
          { seed: SEED, numRuns: 120 },
        );
      });

      it('refuses every mutated token that is not the original, and never echoes it', async () => {
        let refused = 0;
        await fc.assert(
          fc.asyncProperty(fc.nat({ max: 2 }), mutations, async (which, changes) => {
            const original = originals[which];
            const mutant = applyMutations(original, changes);
            const answer = await rawRequest(app.url, { headers: [['Authorization', `Bearer ${mutant}`]] });
            if (onTheWire(mutant) === original) return assertClaimsRoundTrip(answer, JSON.parse(Buffer.from(original.split('.')[1], 'base64url').toString('utf8')));
            refused += 1;
            assertAnswer(answer, { status: [400, 401, 431] }, leakProbes(mutant));
          }),
          { seed: SEED, numRuns: 300 },
        );
        assert.ok(refused > 250, `only ${refused} of 300 mutants were actual changes`);
      });
    },
  );

  describe('directly against TokenVerifier', () => {
    let app: TestApp;
    let verifier: TokenVerifier;
    before(async () => {
      app = await startApp('express', [AuthModule.forRoot({ issuer: issuer.issuer, audience })], [MeController]);
      verifier = app.app.get(TokenVerifier);
    });
    after(() => app.close());

    it('accepts a mutant only when it is the original, and refuses every other one with an InvalidTokenError', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 2 }), mutations, async (which, changes) => {
          const mutant = applyMutations(originals[which], changes);
          const result = await outcome(verifier, mutant);
          if (mutant === originals[which]) assert.ok(!(result instanceof Error), `the original was refused: ${String(result)}`);
          else assert.ok(result instanceof InvalidTokenError, `a mutant got ${result instanceof Error ? `${result.name} ${result.message}` : 'accepted'}`);
        }),
        { seed: SEED, numRuns: 3000 },
      );
    });

    it('accepts validly signed random claims only when they satisfy the policy, returning them exactly', async () => {
      const now = Math.floor(Date.now() / 1000);
      const interesting = fc.constantFrom<unknown>(
        ...[issuer.issuer, `${issuer.issuer}/`, audience, [audience], ['x', audience], []],
        ...[now + 60, now - 60, now - TOLERANCE, now + TOLERANCE + 30, String(now + 60), null],
      );
      const overrides = fc.dictionary(
        fc.constantFrom('iss', 'aud', 'exp', 'nbf', 'iat', 'sub', 'x'),
        fc.oneof({ arbitrary: interesting, weight: 3 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 }),
        { maxKeys: 3 },
      );
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(overrides, fc.boolean(), async (changes, dropOne) => {
          const claims = { ...validClaims(issuer.issuer, audience), ...changes };
          if (dropOne) delete (claims as Record<string, unknown>)[Object.keys(changes)[0] ?? 'sub'];
          const text = JSON.stringify(claims);
          const result = await outcome(verifier, published.sign(text));
          if (result instanceof Error) {
            assert.ok(result instanceof InvalidTokenError && CLAIM_FAILURES.has(result.code), `refused as ${result.name} ${(result as AuthError).code}`);
            return;
          }
          accepted += 1;
          const seconds = Math.floor(Date.now() / 1000);
          assert.equal(result.iss, issuer.issuer);
          assert.ok(result.aud === audience || (Array.isArray(result.aud) && result.aud.includes(audience)), 'aud matches');
          assert.ok(typeof result.exp === 'number' && result.exp > seconds - TOLERANCE - 1, 'exp is a number in the future');
          assert.ok(result.nbf === undefined || (typeof result.nbf === 'number' && result.nbf <= seconds + TOLERANCE), 'nbf is a number in the past');
          assert.ok(result.iat === undefined || typeof result.iat === 'number', 'iat is a number');
          assert.deepEqual(result, JSON.parse(text));
        }),
        { seed: SEED, numRuns: 1000 },
      );
      assert.ok(accepted > 100 && accepted < 900, `${accepted} of 1000 accepted: the generator should exercise both sides`);
    });

    it('keeps memory bounded over 20,000 refused verifications', async () => {
      // No --expose-gc under the runner: a generous RSS bound catches a leak per token
      // (e.g. failures cached or retained), not ordinary garbage.
      const batch = (seed: number): string[] =>
        fc.sample(fc.tuple(fc.nat({ max: 2 }), mutations), { seed, numRuns: 1000 }).map(([which, changes]) => applyMutations(originals[which], changes));
      for (const token of batch(SEED - 1)) await outcome(verifier, token);
      const before = process.memoryUsage().rss;
      let refusals = 0;
      for (let round = 0; round < 20; round++) {
        for (const token of batch(SEED + round)) if ((await outcome(verifier, token)) instanceof Error) refusals += 1;
      }
      const grownMiB = (process.memoryUsage().rss - before) / 2 ** 20;
      assert.ok(refusals > 19_000, `${refusals} refusals`);
      assert.ok(grownMiB < 100, `RSS grew by ${grownMiB.toFixed(1)} MiB over 20,000 verifications`);
    });
  });
});
