import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { eventually } from '../../fixtures/eventually.js';
import { PLATFORMS, bearer, get, startApp, type TestApp } from '../../fixtures/test-app.js';

const audience = 'https://api.test';

for (const platform of PLATFORMS) {
  describe(`key prefetch and steady state on ${platform}`, () => {
    let issuer: TestIssuer;
    let app: TestApp;

    before(async () => {
      issuer = await TestIssuer.start({ audience });
      app = await startApp(platform, [AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: 300 })], [MeController]);
    });
    after(async () => {
      await app.close();
      await issuer.stop();
    });

    it('fetches discovery (1) and the JWKS (1) at boot with no request; the first protected request fetches nothing', async () => {
      await eventually(() => assert.deepEqual(issuer.requests, { discovery: 1, jwks: 1 }), { timeoutMs: 3000 });
      const answer = await get(app, '/me', bearer(await issuer.sign({ sub: 'first' })));
      assert.equal(answer.status, 200);
      assert.deepEqual(issuer.requests, { discovery: 1, jwks: 1 });
    });

    it('50 requests with one valid token, and 30 with distinct tokens, cause 0 discovery or JWKS fetches', async () => {
      const before = issuer.requests;
      const token = await issuer.sign();
      for (let i = 0; i < 50; i++) assert.equal((await get(app, '/me', bearer(token))).status, 200);
      const distinct = await Promise.all(
        Array.from({ length: 30 }, (_, i) => issuer.sign({ sub: `user-${i}` }, { alg: (['RS256', 'ES256', 'EdDSA'] as const)[i % 3] })),
      );
      for (const each of distinct) assert.equal((await get(app, '/me', bearer(each))).status, 200);
      assert.deepEqual(issuer.requests, before);
    });
  });
}
