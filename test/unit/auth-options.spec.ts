import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthConfigurationError, DEFAULT_ALGORITHMS, resolveAuthOptions, type AuthModuleOptions } from '../../lib/index.js';

const valid: AuthModuleOptions = { issuer: 'https://issuer.example.com', audience: 'https://api.example.com' };

function refusal(options: unknown): string {
  try {
    resolveAuthOptions(options as AuthModuleOptions);
  } catch (error) {
    assert.ok(error instanceof AuthConfigurationError, `expected AuthConfigurationError, got ${String(error)}`);
    assert.equal(error.code, 'auth.configuration_invalid');
    return error.message;
  }
  assert.fail('options were accepted');
}

describe('resolveAuthOptions', () => {
  it('fills every default', () => {
    const resolved = resolveAuthOptions(valid);
    assert.deepEqual([...resolved.algorithms], [...DEFAULT_ALGORITHMS]);
    assert.deepEqual(resolved.audience, ['https://api.example.com']);
    assert.equal(resolved.clockTolerance, 5);
    assert.equal(resolved.realm, 'api');
    assert.equal(resolved.maxTokenLength, 8192);
    assert.equal(resolved.jwksCooldown, 30_000);
    assert.equal(resolved.jwksCacheMaxAge, 600_000);
    assert.equal(resolved.fetchTimeout, 3000);
    assert.deepEqual(resolved.tokenCache, { maxEntries: 10_000, ttl: 300_000 });
    assert.deepEqual(resolved.discoveryUrls, [
      'https://issuer.example.com/.well-known/openid-configuration',
      'https://issuer.example.com/.well-known/oauth-authorization-server',
    ]);
  });

  it('derives both well-known addresses for an issuer with a path (OIDC appends, RFC 8414 inserts)', () => {
    const resolved = resolveAuthOptions({ ...valid, issuer: 'https://tenant.logto.app/oidc' });
    assert.deepEqual(resolved.discoveryUrls, [
      'https://tenant.logto.app/oidc/.well-known/openid-configuration',
      'https://tenant.logto.app/.well-known/oauth-authorization-server/oidc',
    ]);
  });

  it('drops an issuer\'s trailing slash before either well-known segment (Auth0 issuers end in one)', () => {
    assert.deepEqual(resolveAuthOptions({ ...valid, issuer: 'https://tenant.auth0.com/' }).discoveryUrls, [
      'https://tenant.auth0.com/.well-known/openid-configuration',
      'https://tenant.auth0.com/.well-known/oauth-authorization-server',
    ]);
    assert.deepEqual(resolveAuthOptions({ ...valid, issuer: 'https://sso.example.com/realms/acme/' }).discoveryUrls, [
      'https://sso.example.com/realms/acme/.well-known/openid-configuration',
      'https://sso.example.com/.well-known/oauth-authorization-server/realms/acme',
    ]);
  });

  it('uses only the configured discoveryUrl when one is given', () => {
    const resolved = resolveAuthOptions({ ...valid, discoveryUrl: 'https://issuer.example.com/custom/meta' });
    assert.deepEqual(resolved.discoveryUrls, ['https://issuer.example.com/custom/meta']);
  });

  it('accepts plain http only for loopback hosts', () => {
    for (const issuer of ['http://127.0.0.1:4000', 'http://localhost:4000/oidc', 'http://[::1]:4000', 'http://127.8.9.10']) {
      assert.equal(resolveAuthOptions({ ...valid, issuer }).issuer, issuer);
    }
    assert.match(refusal({ ...valid, issuer: 'http://issuer.example.com' }), /must use https/);
    assert.match(refusal({ ...valid, issuer: 'http://127.0.0.1.evil.com' }), /must use https/);
    assert.match(refusal({ ...valid, jwksUri: 'http://keys.example.com/jwks' }), /"jwksUri" must use https/);
  });

  it('refuses "none" and HS* even when listed, and says why', () => {
    assert.match(refusal({ ...valid, algorithms: ['RS256', 'none'] }), /"none".*refuses/);
    assert.match(refusal({ ...valid, algorithms: ['HS256'] }), /anyone who knows the public key could forge/);
    assert.match(refusal({ ...valid, algorithms: [] }), /non-empty array/);
  });

  it('narrows algorithms to the list given', () => {
    assert.deepEqual([...resolveAuthOptions({ ...valid, algorithms: ['ES256'] }).algorithms], ['ES256']);
  });

  it('explains each missing or malformed option', () => {
    assert.match(refusal(undefined), /needs options/);
    assert.match(refusal({ audience: 'a' }), /"issuer" is required/);
    assert.match(refusal({ ...valid, issuer: 'not a url' }), /absolute URL/);
    assert.match(refusal({ issuer: valid.issuer }), /"audience" is required/);
    assert.match(refusal({ ...valid, audience: [] }), /"audience" is required/);
    assert.match(refusal({ ...valid, audience: ['ok', ''] }), /"audience" is required/);
    assert.match(refusal({ ...valid, clockTolerance: -1 }), /"clockTolerance" must be a non-negative number/);
    assert.match(refusal({ ...valid, maxTokenLength: 0 }), /"maxTokenLength" must be greater than 0/);
    assert.match(refusal({ ...valid, fetchTimeout: 1.5 }), /"fetchTimeout" must be a non-negative integer/);
    assert.match(refusal({ ...valid, realm: 'say "hi"' }), /"realm" must be printable ASCII/);
    assert.match(refusal({ ...valid, requiredClaims: ['sub', 3] }), /"requiredClaims"/);
    assert.match(refusal({ ...valid, tokenType: '' }), /"tokenType"/);
    assert.match(refusal({ ...valid, tokenCache: { maxEntries: 0 } }), /"tokenCache.maxEntries" must be greater than 0/);
  });

  it('turns the token cache off with false', () => {
    assert.equal(resolveAuthOptions({ ...valid, tokenCache: false }).tokenCache, false);
  });
});
