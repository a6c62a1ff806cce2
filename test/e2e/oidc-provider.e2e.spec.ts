import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { decodeProtectedHeader } from 'jose';
import { AuthModule } from '../../lib/index.js';
import { startDevIssuer, type DevIssuer } from '../../sample/dev-issuer.js';
import { DEV_ISSUER_ALGORITHMS } from '../../sample/dev-issuer-keys.js';
import { MeController } from '../fixtures/controllers.js';
import { PLATFORMS, bearer, get, startApp, type TestApp } from '../fixtures/test-app.js';

const audience = 'https://api.sample.test';
// Small, so an unknown kid may trigger a JWKS refetch soon after the previous one.
const jwksCooldown = 100;

// The real issuer: oidc-provider as the sample's dev issuer runs it (client credentials, RFC 9068 JWTs).
for (const platform of PLATFORMS) {
  describe(`tokens from oidc-provider on ${platform}`, () => {
    let devIssuer: DevIssuer;
    let app: TestApp;

    before(async () => {
      devIssuer = await startDevIssuer({ audience });
      app = await startApp(platform, [AuthModule.forRoot({ issuer: devIssuer.issuer, audience, jwksCooldown })], [MeController]);
    });
    after(async () => {
      await app?.close();
      await devIssuer?.stop();
    });

    for (const alg of DEV_ISSUER_ALGORITHMS) {
      it(`accepts a ${alg} access token and exposes the client id as sub`, async () => {
        const token = await devIssuer.getToken({ alg });
        assert.equal(decodeProtectedHeader(token).alg, alg);
        const answer = await get(app, '/me', bearer(token));
        assert.equal(answer.status, 200);
        assert.equal(answer.body.sub, devIssuer.clientId);
        const claims = answer.body.claims as Record<string, unknown>;
        assert.equal(claims.iss, devIssuer.issuer);
        assert.equal(claims.aud, audience);
        assert.equal(claims.client_id, devIssuer.clientId);
      });
    }

    it('refuses a token issued for another resource with 401 invalid_token', async () => {
      const token = await devIssuer.getToken({ resource: 'https://other-api.sample.test' });
      const answer = await get(app, '/me', bearer(token));
      assert.equal(answer.status, 401);
      assert.match(answer.challenge ?? '', /error="invalid_token"/);
      assert.equal(answer.body.code, 'auth.token_audience_invalid');
    });

    it('refuses an ID token of the same issuer: its audience is the client, not the API', async () => {
      const answer = await get(app, '/me', bearer(await devIssuer.issueIdToken('alice')));
      assert.equal(answer.status, 401);
      assert.equal(answer.body.code, 'auth.token_audience_invalid');
    });

    it("refuses an ID token by its type when tokenType is 'at+jwt', even if the audience lists the client", async () => {
      const strict = await startApp(
        platform,
        [AuthModule.forRoot({ issuer: devIssuer.issuer, audience: [audience, devIssuer.clientId], tokenType: 'at+jwt' })],
        [MeController],
      );
      try {
        const idToken = await get(strict, '/me', bearer(await devIssuer.issueIdToken('alice')));
        assert.equal(idToken.status, 401);
        assert.equal(idToken.body.code, 'auth.token_type_invalid');
        const accessToken = await get(strict, '/me', bearer(await devIssuer.getToken()));
        assert.equal(accessToken.status, 200);
      } finally {
        await strict.close();
      }
    });

    it('accepts a token signed with a rotated key without restarting, and still the old ones', async () => {
      const earlier = await devIssuer.getToken();
      assert.equal((await get(app, '/me', bearer(earlier))).status, 200);

      await devIssuer.rotateKeys();
      const rotated = await devIssuer.getToken();
      assert.notEqual(decodeProtectedHeader(rotated).kid, decodeProtectedHeader(earlier).kid);
      // Let the cooldown since the app's last key-set fetch run out, so the new kid may be fetched.
      await delay(jwksCooldown + 50);
      const answer = await get(app, '/me', bearer(rotated));
      assert.equal(answer.status, 200);
      assert.equal(answer.body.sub, devIssuer.clientId);
      assert.equal((await get(app, '/me', bearer(earlier))).status, 200);
    });
  });
}
