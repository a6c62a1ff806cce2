import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { eventually, timed } from '../../fixtures/eventually.js';
import { PLATFORMS, bearer, get, startApp, type TestApp } from '../../fixtures/test-app.js';

const audience = 'https://api.test';
const COOLDOWN = 300;
const FETCH_TIMEOUT = 500;
/** Liveness, not speed: no answer may wait longer than one fetch deadline plus slack. */
const ANSWER_BOUND_MS = FETCH_TIMEOUT + 1000;
/**
 * Background retries without keys: 500 ms doubling up to `jwksCooldown`, never under 500 ms.
 * With this cooldown every retry is 500 ms apart; add one fetch deadline and slack.
 */
const RECOVERY_BOUND_MS = Math.max(500, COOLDOWN) + FETCH_TIMEOUT + 1000;

for (const platform of PLATFORMS) {
  describe(`booting while the issuer is unavailable, on ${platform}`, () => {
    let issuer: TestIssuer;
    let app: TestApp | undefined;

    function auth(fetchTimeout = FETCH_TIMEOUT) {
      return AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: COOLDOWN, fetchTimeout });
    }

    beforeEach(async () => {
      issuer = await TestIssuer.start({ audience });
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
      await issuer.stop();
    });

    it(`boots with the issuer down: /public 200, protected 503 in < ${ANSWER_BOUND_MS} ms, then recovers in the background within ${RECOVERY_BOUND_MS} ms`, async () => {
      await issuer.fail('down');
      app = await startApp(platform, [auth()], [MeController]);
      const running = app;
      assert.equal((await get(running, '/public')).status, 200);
      const token = await issuer.sign({ sub: 'patient' });
      for (let i = 0; i < 3; i++) {
        const { result, ms } = await timed(() => get(running, '/me', bearer(token)));
        assert.equal(result.status, 503);
        assert.equal(result.body.code, 'auth.issuer_unavailable');
        // The token may be fine: a Bearer challenge would tell the client to get another one.
        assert.equal(result.challenge, null);
        // The next retry is at most one cooldown away, so clients are told to wait 1 s here.
        assert.equal(result.retryAfter, String(Math.ceil(COOLDOWN / 1000)));
        assert.ok(ms < ANSWER_BOUND_MS, `answered after ${Math.round(ms)} ms`);
      }
      await issuer.recover();
      // No protected request from here on: the back-off timer alone must bring the keys in.
      await eventually(() => assert.ok(issuer.requests.jwks >= 1), { timeoutMs: RECOVERY_BOUND_MS });
      await eventually(async () => assert.equal((await get(running, '/me', bearer(token))).status, 200), { timeoutMs: 1000 });
      const settled = issuer.requests;
      assert.equal((await get(running, '/me', bearer(await issuer.sign()))).status, 200);
      assert.deepEqual(issuer.requests, settled, 'recovered for good: no further fetches');
    });

    it('boots while the issuer hangs: app.init() does not wait for it, and recovers once it answers', async () => {
      await issuer.fail('hang');
      const fetchTimeout = 10_000;
      const { result: running, ms } = await timed(() => startApp(platform, [auth(fetchTimeout)], [MeController]));
      app = running;
      assert.ok(ms < fetchTimeout, `boot took ${Math.round(ms)} ms`);
      await eventually(() => assert.equal(issuer.requests.discovery, 1), { timeoutMs: 2000 });
      assert.equal((await get(running, '/public')).status, 200, 'served while discovery hangs');
      await issuer.recover();
      const token = await issuer.sign();
      await eventually(async () => assert.equal((await get(running, '/me', bearer(token))).status, 200), {
        timeoutMs: RECOVERY_BOUND_MS,
      });
    });
  });
}

describe('booting before the issuer exists on its port', () => {
  it(`serves 503 until TestIssuer.start({ port }) comes up, then 200 within ${RECOVERY_BOUND_MS} ms`, async () => {
    const placeholder = await TestIssuer.start({ audience });
    const { issuer: issuerUrl } = placeholder;
    const port = Number(new URL(issuerUrl).port);
    await placeholder.stop(); // nothing listens on the port now
    const app = await startApp('express', [AuthModule.forRoot({ issuer: issuerUrl, audience, jwksCooldown: COOLDOWN, fetchTimeout: FETCH_TIMEOUT })], [MeController]);
    let issuer: TestIssuer | undefined;
    try {
      assert.equal((await get(app, '/me', bearer(await placeholder.sign()))).status, 503);
      issuer = await TestIssuer.start({ audience, port });
      const token = await issuer.sign();
      await eventually(async () => assert.equal((await get(app, '/me', bearer(token))).status, 200), {
        timeoutMs: RECOVERY_BOUND_MS,
      });
    } finally {
      await app.close();
      await issuer?.stop();
    }
  });
});
