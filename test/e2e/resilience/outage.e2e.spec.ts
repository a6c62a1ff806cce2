import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer, type TestIssuerFailure } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { eventually, timed } from '../../fixtures/eventually.js';
import { PLATFORMS, bearer, get, startApp, type TestApp } from '../../fixtures/test-app.js';

const audience = 'https://api.test';
const COOLDOWN = 300;
const FETCH_TIMEOUT = 500;
/** Liveness, not speed: no answer may wait longer than one fetch deadline plus slack. */
const ANSWER_BOUND_MS = FETCH_TIMEOUT + 1000;

const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

for (const platform of PLATFORMS) {
  describe(`issuer outage after the keys are cached, on ${platform}`, () => {
    let issuer: TestIssuer;
    let app: TestApp;

    /** GET /me and assert the answer came within the liveness bound. */
    async function timedMe(token: string, label: string) {
      const { result, ms } = await timed(() => get(app, '/me', bearer(token)));
      assert.ok(ms < ANSWER_BOUND_MS, `${label} answered after ${Math.round(ms)} ms`);
      return result;
    }

    beforeEach(async () => {
      issuer = await TestIssuer.start({ audience });
      const auth = AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: COOLDOWN, fetchTimeout: FETCH_TIMEOUT });
      app = await startApp(platform, [auth], [MeController]);
      await eventually(() => assert.equal(issuer.requests.jwks, 1), { timeoutMs: 3000 });
    });
    afterEach(async () => {
      await app.close();
      await issuer.stop();
    });

    for (const mode of ['error', 'garbage', 'hang', 'down'] as const satisfies readonly TestIssuerFailure[]) {
      it(`while the issuer is '${mode}': cached keys verify new tokens, an unknown kid gets 401 in < ${ANSWER_BOUND_MS} ms`, async () => {
        await issuer.fail(mode);
        await sleep(COOLDOWN); // so the unknown kid below really refetches from the failing issuer
        const jwksBefore = issuer.requests.jwks;
        let unknownSettled = false;
        const unknownKid = timedMe(await issuer.sign({}, { header: { kid: 'not-published' } }), 'the unknown kid').finally(() => {
          unknownSettled = true;
        });
        // While that request waits on the refetch, the app keeps answering everything else.
        assert.equal((await get(app, '/public')).status, 200);
        for (const alg of ALGORITHMS) {
          const answer = await timedMe(await issuer.sign({ sub: `during-${mode}` }, { alg }), `a valid ${alg} token`);
          assert.equal(answer.status, 200);
        }
        if (mode === 'hang') assert.equal(unknownSettled, false, 'valid requests did not queue behind the hanging fetch');
        const refused = await unknownKid;
        assert.equal(refused.status, 401);
        assert.equal(refused.body.code, 'auth.token_key_not_found', 'keys are cached, so this is the token, not an outage');
        if (mode !== 'down') assert.equal(issuer.requests.jwks, jwksBefore + 1, 'the refetch reached the failing issuer');
        assert.equal((await timedMe(await issuer.sign({ sub: 'after' }), 'a valid token after the refetch')).status, 200);
      });
    }

    const unusableKeySets: [string, () => unknown][] = [
      ['0 keys', () => ({ keys: [] })],
      ['only a symmetric key', () => ({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }] })],
    ];
    for (const [label, document] of unusableKeySets) {
      it(`keeps the last good keys in service when a refresh returns a JWKS with ${label}`, async () => {
        issuer.setJwks(document());
        await sleep(COOLDOWN);
        const refused = await timedMe(await issuer.sign({}, { header: { kid: 'not-published' } }), 'the unknown kid');
        assert.equal(refused.body.code, 'auth.token_key_not_found');
        assert.equal(issuer.requests.jwks, 2, 'the refresh happened');
        assert.equal((await get(app, '/me', bearer(await issuer.sign({ sub: 'still-served' })))).status, 200);
      });
    }
  });
}
