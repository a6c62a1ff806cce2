import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import type { AuthModuleOptions } from '../../lib/index.js';
import type { JwksProvider } from '../../lib/jwks/jwks.provider.js';
import type { TestIssuer } from '../../lib/testing/index.js';
import { eventually } from '../fixtures/eventually.js';
import { useKeyProviderBench } from '../fixtures/key-provider-bench.js';

const audience = 'https://api.test';

describe('JwksProvider', () => {
  const bench = useKeyProviderBench(audience, { jwksCooldown: 300, fetchTimeout: 500 });
  const providerFor = (overrides: Partial<AuthModuleOptions> = {}): JwksProvider => bench.provider(overrides).provider;

  async function loadedProvider(overrides: Partial<AuthModuleOptions> = {}): Promise<JwksProvider> {
    const provider = providerFor(overrides);
    await provider.refreshIfAllowed();
    assert.ok(provider.ready);
    return provider;
  }

  const rs256Kid = (): string => bench.issuer.jwks.keys.find((jwk) => jwk.alg === 'RS256')!.kid!;

  /** The times at which the JWKS was requested, seen by polling the issuer's counter. */
  async function jwksRequestTimes(count: number, timeoutMs: number): Promise<number[]> {
    const times: number[] = [];
    let seen = bench.issuer.requests.jwks;
    await eventually(
      () => {
        const now = bench.issuer.requests.jwks;
        for (; seen < now; seen++) times.push(performance.now());
        assert.ok(times.length >= count, `saw ${times.length} of ${count} JWKS requests`);
      },
      { timeoutMs, intervalMs: 5 },
    );
    return times;
  }

  it('prefetches on onModuleInit without being awaited, then answers select() from memory', async () => {
    const provider = providerFor();
    provider.onModuleInit();
    assert.equal(provider.ready, false, 'init returned before the fetch');
    await eventually(() => assert.ok(provider.ready), { timeoutMs: 2000 });
    const key = provider.select(rs256Kid(), 'RS256');
    assert.equal(key?.alg, 'RS256');
    assert.equal(provider.select(rs256Kid(), 'ES256'), undefined, 'a key serves exactly one algorithm');
    assert.deepEqual(bench.issuer.requests, { discovery: 1, jwks: 1 });
  });

  it('shares one fetch between 20 concurrent refreshes', async () => {
    const provider = providerFor();
    await Promise.all(Array.from({ length: 20 }, () => provider.refreshIfAllowed()));
    assert.equal(bench.issuer.requests.jwks, 1);
  });

  it('refuses refreshes within the cooldown (300 ms): 10 calls, 0 fetches; then 1 after it', async () => {
    const provider = await loadedProvider();
    for (let i = 0; i < 10; i++) assert.equal(provider.refreshIfAllowed(), undefined);
    assert.equal(bench.issuer.requests.jwks, 1);
    await sleep(350); // let the cooldown window pass
    await provider.refreshIfAllowed();
    assert.equal(bench.issuer.requests.jwks, 2);
  });

  it('keeps an unchanged key as the same object across a refresh, so cached verifications survive it', async () => {
    const provider = await loadedProvider({ jwksCooldown: 0 });
    const before = provider.select(rs256Kid(), 'RS256')!;
    await provider.refreshIfAllowed();
    assert.equal(bench.issuer.requests.jwks, 2);
    assert.equal(provider.select(rs256Kid(), 'RS256'), before);
    assert.ok(provider.isCurrent(before));
  });

  it('counts a key the JWKS lists twice as one key, so select() still finds it (jose would find two and refuse)', async () => {
    const { keys } = bench.issuer.jwks;
    bench.issuer.setJwks({ keys: [...keys, ...keys] });
    const provider = await loadedProvider();
    assert.equal(provider.select(rs256Kid(), 'RS256')?.alg, 'RS256');
  });

  it('no longer calls a key current once it left the JWKS', async () => {
    const provider = await loadedProvider({ jwksCooldown: 0 });
    const retired = provider.select(rs256Kid(), 'RS256')!;
    await bench.issuer.rotateKeys();
    await provider.refreshIfAllowed();
    assert.equal(provider.isCurrent(retired), false);
    assert.equal(provider.select(retired.kid, 'RS256'), undefined);
    assert.equal(provider.select(rs256Kid(), 'RS256')?.kid, rs256Kid());
  });

  const badRefreshes: [string, (issuer: TestIssuer) => Promise<void>][] = [
    ['answers 500', (target) => target.fail('error')],
    ['answers garbage', (target) => target.fail('garbage')],
    ['serves a JWKS with 0 keys', async (target) => target.setJwks({ keys: [] })],
    ['serves only unusable keys (symmetric, private, wrong use)', async (target) => {
      const [rsa] = target.jwks.keys;
      target.setJwks({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }, { ...rsa, d: 'AQAB' }, { ...rsa, use: 'enc' }] });
    }],
    ['serves no "keys" array', async (target) => target.setJwks({ jwks: [] })],
  ];
  for (const [label, breakIssuer] of badRefreshes) {
    it(`keeps the last good key set when a refresh ${label}`, async () => {
      const provider = await loadedProvider({ jwksCooldown: 0 });
      const kid = rs256Kid();
      const key = provider.select(kid, 'RS256')!;
      await breakIssuer(bench.issuer);
      await provider.refreshIfAllowed();
      assert.equal(bench.issuer.requests.jwks, 2, 'the refresh reached the issuer');
      assert.equal(provider.select(kid, 'RS256'), key);
      assert.ok(provider.isCurrent(key));
    });
  }

  it('refreshes in the background once the key set is older than jwksCacheMaxAge (100 ms), answering from memory meanwhile', async () => {
    const provider = await loadedProvider({ jwksCacheMaxAge: 100, jwksCooldown: 0 });
    await sleep(150); // let the key set age
    assert.ok(provider.select(rs256Kid(), 'RS256'), 'the aged key set still answers at once');
    await eventually(() => assert.equal(bench.issuer.requests.jwks, 2), { timeoutMs: 2000 });
  });

  it('without any key, retries in the background with back-off: 500 ms, then 1,000 ms (cooldown 10 s)', async () => {
    await bench.issuer.fail('error');
    const provider = providerFor({ jwksUri: bench.issuer.jwksUri, jwksCooldown: 10_000 });
    const started = performance.now();
    provider.onModuleInit();
    const [first, second, third] = await jwksRequestTimes(3, 4000);
    // Polling sees a request up to ~10 ms late, so only a small margin below the schedule.
    assert.ok(first! - started < 400, 'the prefetch is immediate');
    assert.ok(second! - first! >= 480, `first retry after ${Math.round(second! - first!)} ms`);
    assert.ok(third! - second! >= 980, `second retry after ${Math.round(third! - second!)} ms`);
  });

  it('recovers in the background once the issuer is back, with no caller asking', async () => {
    await bench.issuer.fail('error');
    const provider = providerFor();
    provider.onModuleInit();
    await eventually(() => assert.ok(bench.issuer.requests.discovery >= 1), { timeoutMs: 2000 });
    await bench.issuer.recover();
    await eventually(() => assert.ok(provider.ready), { timeoutMs: 2000 });
  });

  it('never retries in the background sooner than 500 ms, even with jwksCooldown 0: at most 3 fetches in 1,200 ms', async () => {
    await bench.issuer.fail('error');
    const provider = providerFor({ jwksUri: bench.issuer.jwksUri, jwksCooldown: 0 });
    provider.onModuleInit();
    await sleep(1200); // a window in which a spinning retry loop would fetch hundreds of times
    assert.ok(bench.issuer.requests.jwks <= 3, `${bench.issuer.requests.jwks} fetches`);
    assert.ok(bench.issuer.requests.jwks >= 2, 'the background retry did run');
  });

  it('drops the pending background retry when a caller\'s refresh gets the keys first', async () => {
    await bench.issuer.fail('error');
    // A 100 ms cooldown lets a caller refresh at 100 ms; the background retry waits its 500 ms floor.
    const provider = providerFor({ jwksUri: bench.issuer.jwksUri, jwksCooldown: 100 });
    provider.onModuleInit();
    await eventually(() => assert.equal(bench.issuer.requests.jwks, 1), { timeoutMs: 2000 });
    await sleep(120);
    await bench.issuer.recover();
    await provider.refreshIfAllowed();
    assert.ok(provider.ready);
    assert.equal(bench.issuer.requests.jwks, 2);
    await sleep(600); // past the moment the background retry was due
    assert.equal(bench.issuer.requests.jwks, 2);
  });

  it('stops retrying once destroyed', async () => {
    await bench.issuer.fail('error');
    const provider = providerFor({ jwksUri: bench.issuer.jwksUri });
    provider.onModuleInit();
    await eventually(() => assert.equal(bench.issuer.requests.jwks, 1), { timeoutMs: 2000 });
    provider.onModuleDestroy();
    await sleep(800); // longer than the first retry delay
    assert.equal(bench.issuer.requests.jwks, 1);
  });

  it('neither retries nor logs when a fetch still running at destroy fails afterwards', async () => {
    await bench.issuer.fail('hang');
    const warnings: unknown[] = [];
    Logger.overrideLogger({ log() {}, error() {}, warn: (message: unknown) => warnings.push(message) });
    try {
      const provider = providerFor({ jwksUri: bench.issuer.jwksUri, fetchTimeout: 300 });
      provider.onModuleInit();
      await eventually(() => assert.equal(bench.issuer.requests.jwks, 1), { timeoutMs: 2000 });
      provider.onModuleDestroy();
      await sleep(1100); // the fetch times out at 300 ms; a retry would come 500 ms later
      assert.equal(bench.issuer.requests.jwks, 1);
      assert.deepEqual(warnings, []);
    } finally {
      Logger.overrideLogger(false);
    }
  });
});
