import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { resolveAuthOptions, type AuthModuleOptions } from '../../lib/index.js';
import { OidcDiscoveryService } from '../../lib/discovery/oidc-discovery.service.js';
import { TestIssuer, type TestIssuerOptions } from '../../lib/testing/index.js';

const audience = 'https://api.test';

describe('OidcDiscoveryService', () => {
  let issuer: TestIssuer;
  const extraIssuers: TestIssuer[] = [];

  function discoveryFor(overrides: Partial<AuthModuleOptions> = {}): OidcDiscoveryService {
    return new OidcDiscoveryService(resolveAuthOptions({ issuer: issuer.issuer, audience, fetchTimeout: 500, ...overrides }));
  }

  async function startExtraIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
    const extra = await TestIssuer.start({ audience, ...options });
    extraIssuers.push(extra);
    return extra;
  }

  beforeEach(async () => {
    issuer = await TestIssuer.start({ audience });
  });
  afterEach(async () => {
    await issuer.stop();
    for (const extra of extraIssuers.splice(0)) await extra.stop();
  });

  it('reads the document once: 5 sequential and 10 concurrent calls cost 1 request', async () => {
    const discovery = discoveryFor();
    await Promise.all(Array.from({ length: 10 }, () => discovery.getMetadata()));
    for (let i = 0; i < 5; i++) assert.equal(await discovery.getJwksUri(), issuer.jwksUri);
    assert.equal(issuer.requests.discovery, 1);
  });

  it('forgets a failed read, so the next call asks again', async () => {
    const discovery = discoveryFor();
    await issuer.fail('error');
    await assert.rejects(discovery.getMetadata(), /HTTP 500/);
    await issuer.recover();
    assert.equal((await discovery.getMetadata()).issuer, issuer.issuer);
  });

  it('refuses a document that is not JSON, saying so', async () => {
    await issuer.fail('garbage');
    await assert.rejects(discoveryFor().getMetadata(), /response is not JSON/);
  });

  for (const [label, named] of [
    ['a trailing slash', (base: string) => `${base}/`],
    ['another host', (base: string) => base.replace('127.0.0.1', 'localhost')],
  ] as const) {
    it(`refuses a document whose issuer differs by ${label}, saying why`, async () => {
      issuer.setMetadata({ issuer: named(issuer.issuer) });
      const discovery = discoveryFor();
      await assert.rejects(discovery.getMetadata(), (error: Error) => {
        assert.match(error.message, /names issuer .* not the configured .*tokens are refused until they match exactly/);
        assert.ok(error.message.includes(JSON.stringify(named(issuer.issuer))), 'the log line shows the published issuer');
        return true;
      });
      assert.equal(issuer.requests.discovery, 1, 'a served but wrong document is an answer: no fallback to RFC 8414');
    });
  }

  it('falls back to RFC 8414 when /.well-known/openid-configuration answers 404', async () => {
    const rfc8414 = await startExtraIssuer({ wellKnown: 'oauth-authorization-server' });
    const discovery = new OidcDiscoveryService(resolveAuthOptions({ issuer: rfc8414.issuer, audience }));
    assert.equal(await discovery.getJwksUri(), rfc8414.jwksUri);
    assert.equal(rfc8414.requests.discovery, 2, 'the OpenID location first, then the RFC 8414 one');
  });

  it('does not try the second location when the issuer does not answer: one fetch deadline, not two', async () => {
    await issuer.fail('hang');
    const discovery = discoveryFor({ fetchTimeout: 300 });
    await assert.rejects(discovery.getMetadata(), /timed out after 300 ms/);
    assert.equal(issuer.requests.discovery, 1);
  });

  it('uses discoveryUrl alone when it is set', async () => {
    const elsewhere = await startExtraIssuer();
    elsewhere.setMetadata({ issuer: issuer.issuer, jwks_uri: issuer.jwksUri });
    const discovery = discoveryFor({ discoveryUrl: `${elsewhere.issuer}/.well-known/openid-configuration` });
    assert.equal(await discovery.getJwksUri(), issuer.jwksUri);
    assert.deepEqual([issuer.requests.discovery, elsewhere.requests.discovery], [0, 1]);
  });

  it('returns jwksUri without any request when it is set', async () => {
    const discovery = discoveryFor({ jwksUri: 'https://keys.example.com/jwks' });
    assert.equal(await discovery.getJwksUri(), 'https://keys.example.com/jwks');
    assert.equal(issuer.requests.discovery, 0);
  });

  for (const jwksUri of ['https://keys.example.com/jwks', 'http://localhost:1/jwks', 'http://127.0.0.2/jwks', 'http://[::1]:1/jwks']) {
    it(`accepts the jwks_uri ${jwksUri} (https, or plain http on loopback)`, async () => {
      issuer.setMetadata({ jwks_uri: jwksUri });
      assert.equal(await discoveryFor().getJwksUri(), jwksUri);
    });
  }

  for (const jwksUri of ['http://keys.example.com/jwks', 'http://10.0.0.1/jwks', 'http://127.0.0.1.example.com/jwks', 'ftp://127.0.0.1/jwks']) {
    it(`refuses the jwks_uri ${jwksUri}: plain http only on loopback`, async () => {
      issuer.setMetadata({ jwks_uri: jwksUri });
      await assert.rejects(discoveryFor().getMetadata(), /"jwks_uri" must use https/);
    });
  }

  it('refuses a document without a jwks_uri', async () => {
    issuer.setMetadata({ jwks_uri: undefined });
    await assert.rejects(discoveryFor().getMetadata(), /has no "jwks_uri"/);
  });
});
