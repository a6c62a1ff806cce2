import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthModule, TokenVerifier } from '../../lib/index.js';
import { TestIssuer } from '../../lib/testing/index.js';
import { MeController, OpenController } from '../fixtures/controllers.js';
import { PLATFORMS, bearer, get, startApp, type TestApp } from '../fixtures/test-app.js';

const audience = 'https://api.test';

type VerifyFresh = TokenVerifier['verifyFresh'];

/** Runs `body` with the app's `verifyFresh` replaced by `replace(original)`, then gives the method back. */
async function withVerifyFresh(app: TestApp, replace: (original: VerifyFresh) => VerifyFresh, body: () => Promise<void>): Promise<void> {
  const verifier = app.app.get(TokenVerifier);
  verifier.verifyFresh = replace(verifier.verifyFresh.bind(verifier));
  try {
    await body();
  } finally {
    delete (verifier as Partial<Pick<TokenVerifier, 'verifyFresh'>>).verifyFresh; // the prototype's again
  }
}

for (const platform of PLATFORMS) {
  describe(`core behaviour on ${platform}`, () => {
    let issuer: TestIssuer;
    let app: TestApp;

    before(async () => {
      issuer = await TestIssuer.start({ audience });
      app = await startApp(platform, [AuthModule.forRoot({ issuer: issuer.issuer, audience })], [MeController, OpenController]);
    });
    after(async () => {
      await app.close();
      await issuer.stop();
    });

    it('serves a public route without a token', async () => {
      const answer = await get(app, '/public');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { ok: true, user: null });
    });

    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      it(`accepts a valid ${alg} token and exposes its claims`, async () => {
        const token = await issuer.sign({ sub: `alice-${alg}` }, { alg });
        const answer = await get(app, '/me', bearer(token));
        assert.equal(answer.status, 200);
        assert.equal(answer.body.sub, `alice-${alg}`);
        assert.equal((answer.body.claims as Record<string, unknown>).iss, issuer.issuer);
      });
    }

    it('answers 401 with a bare challenge when no token is sent', async () => {
      const answer = await get(app, '/me');
      assert.equal(answer.status, 401);
      assert.equal(answer.challenge, 'Bearer realm="api"');
      assert.equal(answer.body.code, 'auth.authorization_header_missing');
    });

    it('answers 401 invalid_token for an expired token', async () => {
      const token = await issuer.sign({ exp: Math.floor(Date.now() / 1000) - 60 });
      const answer = await get(app, '/me', bearer(token));
      assert.equal(answer.status, 401);
      assert.match(answer.challenge ?? '', /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/);
      assert.equal(answer.body.code, 'auth.token_expired');
    });

    it('answers 400 invalid_request for a malformed header', async () => {
      const answer = await get(app, '/me', 'Bearer a b');
      assert.equal(answer.status, 400);
      assert.match(answer.challenge ?? '', /error="invalid_request"/);
    });

    it('lets handler metadata beat class metadata', async () => {
      assert.equal((await get(app, '/open')).status, 200);
      assert.equal((await get(app, '/open/locked')).status, 401);
      const token = await issuer.sign({ sub: 'bob' });
      assert.deepEqual((await get(app, '/open/locked', bearer(token))).body, { sub: 'bob' });
    });

    it('verifies a repeated token once: the next requests are served from the verified-token cache', async () => {
      let fullVerifications = 0;
      const counting = (original: VerifyFresh): VerifyFresh => (token) => {
        fullVerifications += 1;
        return original(token);
      };
      await withVerifyFresh(app, counting, async () => {
        const token = await issuer.sign({ sub: 'carol' });
        for (let i = 0; i < 3; i++) assert.equal((await get(app, '/me', bearer(token))).body.sub, 'carol');
        assert.equal(fullVerifications, 1);
      });
    });

    for (const [how, fail] of [
      ['throws', () => { throw new TypeError('internal detail'); }],
      ['rejects', () => Promise.reject(new TypeError('internal detail'))],
    ] as const) {
      it(`answers 401 invalid_token, never a 500, when verification ${how} with an error that is not ours`, () =>
        withVerifyFresh(app, () => fail, async () => {
          const answer = await get(app, '/me', bearer(await issuer.sign()));
          assert.equal(answer.status, 401);
          assert.equal(answer.body.code, 'auth.token_invalid');
          assert.match(answer.challenge ?? '', /error="invalid_token"/);
          assert.doesNotMatch(JSON.stringify(answer.body), /internal detail/);
        }));
    }
  });
}
