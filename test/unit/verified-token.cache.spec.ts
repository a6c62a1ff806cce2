import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { AccessTokenClaims, AuthModuleOptions, VerificationKey } from '../../lib/index.js';
import { TokenVerifier } from '../../lib/verification/token-verifier.service.js';
import { VerifiedTokenCache } from '../../lib/verification/verified-token.cache.js';
import { eventually } from '../fixtures/eventually.js';
import { useKeyProviderBench } from '../fixtures/key-provider-bench.js';

const audience = 'https://api.test';

describe('VerifiedTokenCache on its own (time given explicitly)', () => {
  const key = { identity: 'key-1' } as unknown as VerificationKey;
  const always = (): boolean => true;
  const t0 = 1_700_000_000_000;
  const claimsUntil = (exp: number): AccessTokenClaims => ({ iss: 'https://bench.issuer.test', aud: audience, exp });

  it('keeps at most maxEntries (3) and evicts the least recently used first', () => {
    const cache = new VerifiedTokenCache(3, 60_000, 0);
    for (const token of ['a', 'b', 'c']) cache.set(token, claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.ok(cache.get('a', t0, always)); // 'a' becomes the most recently used; 'b' is now the oldest
    cache.set('d', claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b', t0, always), undefined);
    for (const token of ['a', 'c', 'd']) assert.ok(cache.get(token, t0, always), `${token} should still be cached`);
  });

  it('keeps LRU order when one token is served again and again', () => {
    const cache = new VerifiedTokenCache(3, 60_000, 0);
    for (const token of ['a', 'b', 'c']) cache.set(token, claimsUntil(t0 / 1000 + 3600), key, t0);
    for (let i = 0; i < 3; i++) assert.ok(cache.get('a', t0, always));
    cache.set('d', claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.equal(cache.get('b', t0, always), undefined, 'b is the least recently used');
    assert.ok(cache.get('a', t0, always));
    cache.set('e', claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.equal(cache.get('c', t0, always), undefined);
    cache.set('f', claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.equal(cache.get('d', t0, always), undefined, 'd was used before a');
    for (const token of ['a', 'e', 'f']) assert.ok(cache.get(token, t0, always), `${token} should still be cached`);
  });

  it('checks expiry and key on every hit, the token served just before included', () => {
    const cache = new VerifiedTokenCache(10, 60_000, 0);
    cache.set('t', claimsUntil(t0 / 1000 + 60), key, t0);
    assert.ok(cache.get('t', t0, always));
    assert.ok(cache.get('t', t0 + 59_999, always));
    assert.equal(cache.get('t', t0 + 60_000, always), undefined, 'at exp');
    assert.equal(cache.size, 0, 'and dropped');
    cache.set('u', claimsUntil(t0 / 1000 + 60), key, t0);
    assert.ok(cache.get('u', t0, always));
    assert.equal(cache.get('u', t0, (candidate) => candidate !== key), undefined, 'key retired');
    assert.equal(cache.size, 0);
    assert.equal(cache.get('u', t0, always), undefined, 'gone for good');
  });

  it('makes a token stored again the most recently used, not the next one evicted', () => {
    const cache = new VerifiedTokenCache(2, 60_000, 0);
    cache.set('a', claimsUntil(t0 / 1000 + 3600), key, t0);
    cache.set('b', claimsUntil(t0 / 1000 + 3600), key, t0);
    cache.set('a', claimsUntil(t0 / 1000 + 3600), key, t0); // e.g. two concurrent first requests
    cache.set('c', claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.ok(cache.get('a', t0, always));
    assert.equal(cache.get('b', t0, always), undefined);
  });

  it('never serves an entry at or after exp + clockTolerance (exp in 60 s, tolerance 5 s)', () => {
    const cache = new VerifiedTokenCache(10, 3_600_000, 5);
    const exp = t0 / 1000 + 60;
    cache.set('t', claimsUntil(exp), key, t0);
    assert.ok(cache.get('t', (exp + 5) * 1000 - 1, always), 'still valid 1 ms before exp + tolerance');
    assert.equal(cache.get('t', (exp + 5) * 1000, always), undefined);
    assert.equal(cache.size, 0, 'an expired entry is dropped when met');
  });

  it('matches the verifier for a fractional clockTolerance (0.5 s): valid through second exp, gone at exp + 1', () => {
    const cache = new VerifiedTokenCache(10, 3_600_000, 0.5);
    const exp = t0 / 1000 + 60;
    cache.set('t', claimsUntil(exp), key, t0);
    // checkClaims refuses once exp <= floor(now / 1000) - 0.5, i.e. from second exp + 1 on.
    assert.ok(cache.get('t', (exp + 1) * 1000 - 1, always));
    assert.equal(cache.get('t', (exp + 1) * 1000, always), undefined);
  });

  it('never serves an entry older than ttl (1,000 ms), even for a long-lived token', () => {
    const cache = new VerifiedTokenCache(10, 1000, 0);
    cache.set('t', claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.ok(cache.get('t', t0 + 999, always));
    assert.equal(cache.get('t', t0 + 1000, always), undefined);
  });

  it('drops an entry whose key is no longer current', () => {
    const cache = new VerifiedTokenCache(10, 60_000, 0);
    cache.set('t', claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.equal(cache.get('t', t0, (candidate) => candidate !== key), undefined);
    assert.equal(cache.size, 0);
  });

  it('never serves a token for another that shares its last 43 characters, and keeps the cached one', () => {
    const cache = new VerifiedTokenCache(10, 60_000, 0);
    const tail = 'S'.repeat(43);
    cache.set(`header.payload.${tail}`, claimsUntil(t0 / 1000 + 3600), key, t0);
    assert.equal(cache.get(`header.forged.${tail}`, t0, always), undefined);
    assert.ok(cache.get(`header.payload.${tail}`, t0, always), 'the genuine token is still served');
  });

  it('200,000 distinct tokens into maxEntries 10,000 keep size at 10,000', () => {
    const cache = new VerifiedTokenCache(10_000, 60_000, 0);
    const claims = claimsUntil(t0 / 1000 + 3600);
    for (let i = 0; i < 200_000; i++) cache.set(`token-${i}`, claims, key, t0);
    assert.equal(cache.size, 10_000);
    assert.ok(cache.get('token-199999', t0, always), 'the newest entries are the ones kept');
    assert.equal(cache.get('token-189999', t0, always), undefined);
  });
});

describe('TokenVerifier with its verified-token cache, against a TestIssuer', () => {
  const bench = useKeyProviderBench(audience, { jwksCooldown: 0 });

  /** A verifier over a real key provider; `keyLookups` counts full verifications (cache misses). */
  async function verifierFor(overrides: Partial<AuthModuleOptions> = {}) {
    const { options, provider: jwks } = bench.provider(overrides);
    await jwks.refreshIfAllowed();
    assert.ok(jwks.ready, 'the key set should load');
    const counter = { keyLookups: 0 };
    const select = jwks.select.bind(jwks);
    jwks.select = (kid, alg) => {
      counter.keyLookups += 1;
      return select(kid, alg);
    };
    return { verifier: new TokenVerifier(options, jwks), jwks, counter };
  }

  it('serves a repeated token from the cache: 10 verifications, 1 key lookup', async () => {
    const { verifier, counter } = await verifierFor();
    const token = await bench.issuer.sign();
    for (let i = 0; i < 10; i++) await verifier.verify(token);
    assert.equal(counter.keyLookups, 1);
  });

  it('returns on a hit exactly what a fresh verification returns, deeply frozen', async () => {
    const cached = await verifierFor();
    const fresh = await verifierFor({ tokenCache: false });
    const token = await bench.issuer.sign({ sub: 'alice', org: { id: 'acme', roles: ['admin'] } });
    const first = await cached.verifier.verify(token);
    const hit = await cached.verifier.verify(token);
    assert.equal(cached.counter.keyLookups, 1, 'the second call was a hit');
    assert.equal(hit, first);
    assert.deepEqual(hit, await fresh.verifier.verify(token));
    const claims = hit as unknown as { sub: string; org: { id: string; roles: string[] } };
    assert.throws(() => {
      claims.sub = 'mallory';
    }, TypeError);
    assert.throws(() => {
      claims.org.id = 'evil';
    }, TypeError);
    assert.throws(() => claims.org.roles.push('root'), TypeError);
  });

  it('caches only successes: a failed token is verified again on every call (5 calls, 5 key lookups)', async () => {
    const { verifier, counter } = await verifierFor();
    const token = await bench.issuer.sign();
    const [header, payload, signature] = token.split('.');
    const flipped = signature!.startsWith('A') ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    const forged = `${header}.${payload}.${flipped}`;
    for (let i = 0; i < 5; i++) {
      await assert.rejects(async () => verifier.verify(forged), { code: 'auth.token_signature_invalid' });
    }
    assert.equal(counter.keyLookups, 5);
  });

  it('refuses a forgery that reuses a cached token\'s signature with other claims', async () => {
    const { verifier } = await verifierFor();
    const token = await bench.issuer.sign({ sub: 'alice' });
    await verifier.verify(token);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'mallory' })).toString('base64url');
    await assert.rejects(async () => verifier.verify(`${header}.${payload}.${signature}`), { code: 'auth.token_signature_invalid' });
    assert.equal((await verifier.verify(token)).sub, 'alice');
  });

  it('does not remember a failure: a token refused for an unknown key passes once its key is published', async () => {
    bench.issuer.setJwks({ keys: bench.issuer.jwks.keys.filter((jwk) => jwk.alg !== 'ES256') });
    const { verifier } = await verifierFor();
    const token = await bench.issuer.sign({}, { alg: 'ES256' });
    await assert.rejects(async () => verifier.verify(token), { code: 'auth.token_key_not_found' });
    bench.issuer.setJwks(undefined);
    const claims = await verifier.verify(token);
    assert.equal(claims.sub, 'test-user');
  });

  it('never serves a token past its exp (exp in 1 s, clockTolerance 0)', async () => {
    const { verifier } = await verifierFor({ clockTolerance: 0 });
    const token = await bench.issuer.sign({ exp: Math.floor(Date.now() / 1000) + 1 });
    await verifier.verify(token);
    await eventually(() => assert.rejects(async () => verifier.verify(token), { code: 'auth.token_expired' }), {
      timeoutMs: 3000,
    });
  });

  it('never serves an entry past the ttl (200 ms): the token is verified afresh', async () => {
    const { verifier, counter } = await verifierFor({ tokenCache: { ttl: 200 } });
    const token = await bench.issuer.sign();
    await verifier.verify(token);
    await verifier.verify(token);
    assert.equal(counter.keyLookups, 1);
    await eventually(
      async () => {
        await verifier.verify(token);
        assert.ok(counter.keyLookups > 1);
      },
      { timeoutMs: 2000 },
    );
  });

  it('evicts verifications by a key that left the JWKS', async () => {
    const { verifier, jwks } = await verifierFor();
    const token = await bench.issuer.sign();
    await verifier.verify(token);
    await bench.issuer.rotateKeys();
    await jwks.refreshIfAllowed();
    await assert.rejects(async () => verifier.verify(token), { code: 'auth.token_key_not_found' });
  });

  it('keeps verifications by a key that is still published after a refresh', async () => {
    const { verifier, jwks, counter } = await verifierFor();
    const token = await bench.issuer.sign();
    await verifier.verify(token);
    await bench.issuer.rotateKeys({ keepPrevious: true });
    await jwks.refreshIfAllowed();
    await verifier.verify(token);
    assert.equal(counter.keyLookups, 1, 'served from the cache');
  });

  it('cached(): the claims of a verified token without verifying, undefined for anything else', async () => {
    const { verifier, counter } = await verifierFor();
    const uncached = await verifierFor({ tokenCache: false });
    const token = await bench.issuer.sign();
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    assert.equal(verifier.cached(token), undefined, 'not before it is verified');
    const claims = await verifier.verify(token);
    await uncached.verifier.verify(token);
    await assert.rejects(async () => verifier.verify(forged), { code: 'auth.token_signature_invalid' });
    const lookups = counter.keyLookups;
    assert.equal(verifier.cached(token), claims);
    assert.equal(counter.keyLookups, lookups, 'answered from the cache alone');
    assert.equal(verifier.cached(forged), undefined);
    assert.equal(uncached.verifier.cached(token), undefined);
  });

  it('verifyFresh(): a full verification even for a cached token, and its success is cached', async () => {
    const { verifier, counter } = await verifierFor();
    const token = await bench.issuer.sign();
    const claims = await verifier.verifyFresh(token);
    assert.equal(verifier.cached(token), claims, 'stored');
    assert.deepEqual(await verifier.verifyFresh(token), claims);
    assert.equal(counter.keyLookups, 2, 'verified twice');
  });

  it('tokenCache: false verifies every call afresh (5 calls, 5 key lookups)', async () => {
    const { verifier, counter } = await verifierFor({ tokenCache: false });
    const token = await bench.issuer.sign();
    for (let i = 0; i < 5; i++) await verifier.verify(token);
    assert.equal(counter.keyLookups, 5);
  });
});
