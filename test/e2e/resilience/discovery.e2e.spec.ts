import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LoggerService } from '@nestjs/common';
import { AuthModule, type AuthModuleOptions } from '../../../lib/index.js';
import { TestIssuer, type TestIssuerOptions } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { eventually } from '../../fixtures/eventually.js';
import { PLATFORMS, bearer, get, startApp, type TestApp } from '../../fixtures/test-app.js';

const audience = 'https://api.test';
const COOLDOWN = 300;
const FETCH_TIMEOUT = 500;

/** Keeps every warning the app logs, to check that a refusal says why. */
class WarningLog implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

for (const platform of PLATFORMS) {
  describe(`issuer discovery on ${platform}`, () => {
    const issuers: TestIssuer[] = [];
    let app: TestApp | undefined;
    let log: WarningLog;

    async function startIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
      const issuer = await TestIssuer.start({ audience, ...options });
      issuers.push(issuer);
      return issuer;
    }

    async function boot(issuer: TestIssuer, options: Partial<AuthModuleOptions> = {}): Promise<TestApp> {
      const auth = AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: COOLDOWN, fetchTimeout: FETCH_TIMEOUT, ...options });
      app = await startApp(platform, [auth], [MeController], { logger: log });
      return app;
    }

    /** Protected requests keep answering 503 while discovery is retried (at least twice) and refused. */
    async function assertRefusedAcrossRetries(running: TestApp, issuer: TestIssuer, why: RegExp): Promise<void> {
      const token = await issuer.sign();
      const codes = new Set<unknown>();
      await eventually(
        async () => {
          const answer = await get(running, '/me', bearer(token));
          codes.add(`${answer.status} ${String(answer.body.code)}`);
          assert.ok(issuer.requests.discovery >= 2, 'discovery was retried');
        },
        { timeoutMs: 3000 },
      );
      assert.deepEqual(codes, new Set(['503 auth.issuer_unavailable']), 'never 200');
      assert.ok(
        log.warnings.some((line) => why.test(line)),
        `a warning should match ${why}; got ${JSON.stringify(log.warnings)}`,
      );
      assert.ok(!log.warnings.some((line) => line.includes(token)), 'no token in the log');
    }

    beforeEach(() => {
      log = new WarningLog();
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
      for (const issuer of issuers.splice(0)) await issuer.stop();
    });

    for (const [label, published] of [
      ['a trailing slash', (base: string) => `${base}/`],
      ['another host', (base: string) => base.replace('127.0.0.1', 'localhost')],
    ] as const) {
      it(`never accepts tokens while the discovery document names the issuer with ${label} (503), and logs why`, async () => {
        const issuer = await startIssuer();
        issuer.setMetadata({ issuer: published(issuer.issuer) });
        const running = await boot(issuer);
        await assertRefusedAcrossRetries(running, issuer, /names issuer .*, not the configured .*tokens are refused until they match exactly/);
        assert.equal(issuer.requests.jwks, 0, 'keys named by a mismatched document are never fetched');
      });
    }

    it('refuses a jwks_uri with plain http on a non-loopback host (503, nothing fetched), and logs why', async () => {
      const issuer = await startIssuer();
      issuer.setMetadata({ jwks_uri: 'http://keys.example.com/jwks' });
      const running = await boot(issuer);
      await assertRefusedAcrossRetries(running, issuer, /"jwks_uri" must use https/);
      assert.equal(issuer.requests.jwks, 0);
    });

    it('falls back to RFC 8414 when /.well-known/openid-configuration answers 404', async () => {
      const issuer = await startIssuer({ wellKnown: 'oauth-authorization-server' });
      const running = await boot(issuer);
      await eventually(() => assert.equal(issuer.requests.jwks, 1), { timeoutMs: 3000 });
      assert.equal((await get(running, '/me', bearer(await issuer.sign()))).status, 200);
      assert.deepEqual(issuer.requests, { discovery: 2, jwks: 1 }, 'one 404, one RFC 8414 document, one JWKS');
    });

    it('skips discovery entirely with the jwksUri option: 0 discovery requests', async () => {
      const issuer = await startIssuer();
      const running = await boot(issuer, { jwksUri: issuer.jwksUri });
      await eventually(() => assert.equal(issuer.requests.jwks, 1), { timeoutMs: 3000 });
      assert.equal((await get(running, '/me', bearer(await issuer.sign()))).status, 200);
      assert.equal(issuer.requests.discovery, 0);
    });

    it('reads the discovery document from the discoveryUrl option, and only there', async () => {
      const issuer = await startIssuer();
      const elsewhere = await startIssuer();
      elsewhere.setMetadata({ issuer: issuer.issuer, jwks_uri: issuer.jwksUri });
      const running = await boot(issuer, { discoveryUrl: `${elsewhere.issuer}/.well-known/openid-configuration` });
      await eventually(() => assert.equal(issuer.requests.jwks, 1), { timeoutMs: 3000 });
      assert.equal((await get(running, '/me', bearer(await issuer.sign()))).status, 200);
      assert.deepEqual([issuer.requests.discovery, elsewhere.requests.discovery], [0, 1]);
    });
  });
}
