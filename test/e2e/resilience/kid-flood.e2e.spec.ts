import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuthModule, type AuthModuleOptions } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { eventually, timed } from '../../fixtures/eventually.js';
import { PLATFORMS, bearer, get, startApp, type HttpAnswer, type TestApp } from '../../fixtures/test-app.js';

const audience = 'https://api.test';
const FLOOD = 1000;
const CONCURRENCY = 50;
const COOLDOWN = 300;

interface FloodOutcome {
  readonly unknownKid: HttpAnswer[];
  readonly valid: HttpAnswer[];
  readonly ms: number;
}

/**
 * Sends `FLOOD` tokens signed by a real key but naming random unknown `kid`s, `CONCURRENCY`
 * at a time, with one fresh valid token in every batch.
 */
async function kidFlood(app: TestApp, issuer: TestIssuer): Promise<FloodOutcome> {
  const unknown = await Promise.all(
    Array.from({ length: FLOOD }, () => issuer.sign({}, { alg: 'EdDSA', header: { kid: `unknown-${randomUUID()}` } })),
  );
  const validTokens = await Promise.all(Array.from({ length: FLOOD / CONCURRENCY }, () => issuer.sign({}, { alg: 'ES256' })));
  const unknownKid: HttpAnswer[] = [];
  const valid: HttpAnswer[] = [];
  const { ms } = await timed(async () => {
    for (let start = 0; start < FLOOD; start += CONCURRENCY) {
      const batch = unknown.slice(start, start + CONCURRENCY).map((token) => get(app, '/me', bearer(token)));
      const [validAnswer, ...answers] = await Promise.all([get(app, '/me', bearer(validTokens[start / CONCURRENCY]!)), ...batch]);
      valid.push(validAnswer!);
      unknownKid.push(...answers);
    }
  });
  return { unknownKid, valid, ms };
}

function assertFloodRefused(outcome: FloodOutcome): void {
  assert.equal(outcome.unknownKid.length, FLOOD);
  for (const answer of outcome.unknownKid) {
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, 'auth.token_key_not_found');
  }
  assert.deepEqual(new Set(outcome.valid.map((answer) => answer.status)), new Set([200]), 'valid tokens pass during the flood');
}

/**
 * At most one fetch per started cooldown window over the flood's duration. The provider
 * compares whole milliseconds of `Date.now()`, so a gap may be up to 1 ms short.
 */
function allowedFetches(ms: number, cooldown: number): number {
  return Math.floor(ms / (cooldown - 1)) + 1;
}

for (const platform of PLATFORMS) {
  describe(`unknown-kid flood on ${platform}`, () => {
    let issuer: TestIssuer;
    let app: TestApp | undefined;

    async function boot(options: Partial<AuthModuleOptions>): Promise<TestApp> {
      app = await startApp(platform, [AuthModule.forRoot({ issuer: issuer.issuer, audience, ...options })], [MeController]);
      await eventually(() => assert.equal(issuer.requests.jwks, 1), { timeoutMs: 3000 });
      return app;
    }

    beforeEach(async () => {
      issuer = await TestIssuer.start({ audience });
    });
    afterEach(async () => {
      await app?.close();
      await issuer.stop();
    });

    it('1,000 unknown kids cause at most 1 JWKS fetch within the default 30 s cooldown', async () => {
      const running = await boot({});
      const outcome = await kidFlood(running, issuer);
      assertFloodRefused(outcome);
      assert.ok(issuer.requests.jwks - 1 <= 1, `${issuer.requests.jwks - 1} extra JWKS fetches`);
      assert.equal((await get(running, '/me', bearer(await issuer.sign()))).status, 200, 'valid tokens pass after the flood');
    });

    it(`1,000 unknown kids cause at most 1 JWKS fetch per ${COOLDOWN} ms cooldown`, async () => {
      const running = await boot({ jwksCooldown: COOLDOWN, fetchTimeout: 500 });
      await sleep(COOLDOWN); // let the prefetch's window pass, so the flood may refetch
      const outcome = await kidFlood(running, issuer);
      assertFloodRefused(outcome);
      const fetches = issuer.requests.jwks - 1;
      assert.ok(fetches >= 1, 'the first unknown kid did refetch');
      assert.ok(fetches <= allowedFetches(outcome.ms, COOLDOWN), `${fetches} fetches in ${Math.round(outcome.ms)} ms`);
      assert.equal(issuer.requests.discovery, 1, 'discovery is not repeated');
      assert.equal((await get(running, '/me', bearer(await issuer.sign()))).status, 200);
    });

    it(`while the issuer answers 500, 1,000 unknown kids refetch at most once per ${COOLDOWN} ms and valid tokens pass`, async () => {
      const running = await boot({ jwksCooldown: COOLDOWN, fetchTimeout: 500 });
      await issuer.fail('error');
      await sleep(COOLDOWN);
      const outcome = await kidFlood(running, issuer);
      assertFloodRefused(outcome);
      const fetches = issuer.requests.jwks - 1;
      assert.ok(fetches >= 1, 'the failing issuer was asked');
      assert.ok(fetches <= allowedFetches(outcome.ms, COOLDOWN), `${fetches} fetches in ${Math.round(outcome.ms)} ms`);
      await issuer.recover();
      assert.equal((await get(running, '/me', bearer(await issuer.sign()))).status, 200);
    });
  });
}
