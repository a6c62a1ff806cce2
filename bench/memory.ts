import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { DEFAULT_ALGORITHMS } from '../lib/auth-options.js';
import { buildKeyIndex } from '../lib/jwks/build-key-index.js';
import type { VerificationKey } from '../lib/jwks/verification-key.js';
import type { AccessTokenClaims } from '../lib/verification/access-token-claims.js';
import { deepFreeze } from '../lib/verification/deep-freeze.js';
import { VerifiedTokenCache } from '../lib/verification/verified-token.cache.js';
import type { ChildMessage, MemoryReport } from './protocol.js';

// Child entry (run with --expose-gc): drives VerifiedTokenCache directly with N distinct
// token-sized strings and claims objects, the way TokenVerifier does (get, then set on a
// miss), after a warm-up of N/10 tokens through a cache that keeps nothing. Signing a million
// real tokens would take far too long; what matters is realistic sizes, and signatures that
// differ in their tail as real ones do (the cache indexes entries by it).

const ISSUER = 'https://issuer.bench.example';
const HEADER = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: `rs256-${randomUUID()}` })).toString('base64url');
// An RS256 signature is 256 bytes: 342 base64url characters. A pool keeps the harness's own
// garbage (a fresh random Buffer per token) out of the RSS we measure; the token's number,
// written over the last characters, makes every signature tail unique.
const SIGNATURES = Array.from({ length: 1024 }, () => randomBytes(256).toString('base64url').slice(0, -12));

function claimsFor(i: number, now: number): AccessTokenClaims {
  return deepFreeze({
    iss: ISSUER,
    aud: 'https://api.bench.example',
    sub: `user-${i}`,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
    scope: 'openid profile email orders:read orders:write',
    client_id: 'bench-client',
    azp: 'bench-client',
  });
}

function tokenFor(i: number, claims: AccessTokenClaims): string {
  return `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${SIGNATURES[i % SIGNATURES.length]}${i.toString(36).padStart(12, '0')}`;
}

async function benchKey(): Promise<VerificationKey> {
  const { publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), alg: 'RS256', kid: 'bench' };
  const { index } = await buildKeyIndex({ keys: [jwk] }, new Set(DEFAULT_ALGORITHMS), undefined);
  const key = index.select('bench', 'RS256');
  if (key === undefined) throw new Error('could not build the benchmark key');
  return key;
}

function collect(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

/** Sends `count` fresh tokens through `cache` as the verifier does; returns the peak RSS seen and the mean token length. */
function drive(cache: VerifiedTokenCache, key: VerificationKey, first: number, count: number): { rssPeak: number; tokenChars: number } {
  const isCurrent = (candidate: VerificationKey): boolean => candidate === key;
  let rssPeak = 0;
  let tokenChars = 0;
  for (let i = first; i < first + count; i += 1) {
    const now = Date.now();
    const claims = claimsFor(i, Math.floor(now / 1000));
    const token = tokenFor(i, claims);
    tokenChars += token.length;
    if (cache.get(token, now, isCurrent) !== undefined) throw new Error('a never-seen token was a cache hit');
    cache.set(token, claims, key, now);
    if (i % 50_000 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }
  return { rssPeak: Math.max(rssPeak, process.memoryUsage.rss()), tokenChars: tokenChars / count };
}

async function main(): Promise<MemoryReport> {
  const tokens = Number(process.argv[2]);
  const maxEntries = Number(process.argv[3]);
  const warmupTokens = Math.round(tokens / 10);
  const key = await benchKey();
  // The same work with nothing retained first, so the young generation V8 grows for any busy
  // process is in "before", and the growth measured is what the cache itself keeps.
  drive(new VerifiedTokenCache(1, 300_000, 5), key, 0, warmupTokens);
  const before = collect();
  const cache = new VerifiedTokenCache(maxEntries, 300_000, 5);
  const started = performance.now();
  const { rssPeak, tokenChars } = drive(cache, key, warmupTokens, tokens);
  const seconds = (performance.now() - started) / 1000;
  const after = collect();
  return {
    tokens,
    warmupTokens,
    tokenChars: Math.round(tokenChars),
    maxEntries,
    cacheSize: cache.size,
    rssBefore: before.rss,
    rssAfter: after.rss,
    rssPeak: Math.max(rssPeak, before.rss),
    heapUsedBefore: before.heapUsed,
    heapUsedAfter: after.heapUsed,
    seconds,
  };
}

function send(message: ChildMessage): void {
  if (process.send === undefined) console.log(message); // run by hand: node --expose-gc dist/bench/memory.js 1000000 10000
  else process.send(message);
}

process.on('disconnect', () => process.exit(0));
main().then(
  (report) => send({ type: 'memory', report }),
  (error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
