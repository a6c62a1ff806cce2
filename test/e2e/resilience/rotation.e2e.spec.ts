import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { eventually } from '../../fixtures/eventually.js';
import { PLATFORMS, bearer, get, startApp, type TestApp } from '../../fixtures/test-app.js';

const audience = 'https://api.test';
const COOLDOWN = 300;
const FETCH_TIMEOUT = 500;

for (const platform of PLATFORMS) {
  describe(`key rotation on ${platform} (verified-token cache on)`, () => {
    let issuer: TestIssuer;
    let app: TestApp;

    /** Rotates the issuer's keys and waits until a token with a new kid is accepted. */
    async function rotateAndAwaitNewKey(keepPrevious: boolean): Promise<void> {
      await issuer.rotateKeys({ keepPrevious });
      const rotated = await issuer.sign({ sub: 'after-rotation' });
      // One cooldown for the refetch to be allowed, one fetch deadline, and slack for a busy machine.
      await eventually(async () => assert.equal((await get(app, '/me', bearer(rotated))).status, 200), {
        timeoutMs: COOLDOWN + FETCH_TIMEOUT + 1000,
      });
    }

    beforeEach(async () => {
      issuer = await TestIssuer.start({ audience });
      const auth = AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: COOLDOWN, fetchTimeout: FETCH_TIMEOUT });
      app = await startApp(platform, [auth], [MeController]);
    });
    afterEach(async () => {
      await app.close();
      await issuer.stop();
    });

    it(`accepts a token with the new kid within one ${COOLDOWN} ms cooldown after rotateKeys(), without a restart`, async () => {
      assert.equal((await get(app, '/me', bearer(await issuer.sign()))).status, 200);
      await rotateAndAwaitNewKey(false);
      assert.equal(issuer.requests.discovery, 1, 'rotation needs no new discovery');
    });

    it('refuses a token signed by the retired key (generation 1) once the new key set is loaded, even one it had cached', async () => {
      const cachedBeforeRotation = await issuer.sign({ sub: 'cached' });
      assert.equal((await get(app, '/me', bearer(cachedBeforeRotation))).status, 200);
      await rotateAndAwaitNewKey(false);
      for (const token of [cachedBeforeRotation, await issuer.sign({ sub: 'late' }, { generation: 1 })]) {
        const answer = await get(app, '/me', bearer(token));
        assert.equal(answer.status, 401);
        assert.equal(answer.body.code, 'auth.token_key_not_found');
      }
    });

    it('with keepPrevious: true, tokens of both generations pass, cached or not', async () => {
      const cachedBeforeRotation = await issuer.sign({ sub: 'cached' });
      assert.equal((await get(app, '/me', bearer(cachedBeforeRotation))).status, 200);
      await rotateAndAwaitNewKey(true);
      for (const token of [cachedBeforeRotation, await issuer.sign({ sub: 'late' }, { generation: 1 })]) {
        assert.equal((await get(app, '/me', bearer(token))).status, 200);
      }
    });
  });
}
