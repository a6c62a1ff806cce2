import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_ALGORITHMS } from '../../lib/index.js';
import { importVerificationKey } from '../../lib/jwks/key-import.js';
import { usableJwk, type UsableJwk } from '../../lib/jwks/key-policy.js';

// Which JWKS members may verify tokens, and for which algorithms. Members are plain JSON:
// the refusals are judged on the document alone, before anything is imported.

const ALL = new Set<string>(DEFAULT_ALGORITHMS);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
const ecPrivate = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, unknown>;

interface Row {
  readonly name: string;
  readonly member: unknown;
  readonly allowed?: ReadonlySet<string>;
  /** The algorithms the key may verify, or a fragment of the refusal reason. */
  readonly expect: readonly string[] | { refused: string };
}

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

const rows: Row[] = [
  // usable
  { name: 'an RSA key without alg: every RSA algorithm', member: rsa, expect: RSA_ALGS },
  { name: 'an RSA key with alg PS256', member: { ...rsa, alg: 'PS256', kid: 'k' }, expect: ['PS256'] },
  { name: 'an RSA key narrowed by the allow-list', member: rsa, allowed: new Set(['RS256', 'ES256']), expect: ['RS256'] },
  { name: 'a P-256 key: ES256 only', member: p256, expect: ['ES256'] },
  { name: 'a P-384 key: ES384 only', member: p384, expect: ['ES384'] },
  { name: 'an Ed25519 key', member: ed25519, expect: ['EdDSA', 'Ed25519'] },
  { name: 'use "sig"', member: { ...p256, use: 'sig' }, expect: ['ES256'] },
  { name: 'key_ops with verify', member: { ...p256, key_ops: ['sign', 'verify'] }, expect: ['ES256'] },
  { name: 'unknown extra members', member: { ...p256, x5t: 'abc', 'x-vendor': { a: 1 } }, expect: ['ES256'] },
  // refused
  ...['a string', null, 42, true, [], [p256]].map((member): Row => ({
    name: `a member that is ${JSON.stringify(member).slice(0, 20)}`,
    member,
    expect: { refused: 'not a JSON object' },
  })),
  { name: 'a numeric kid', member: { ...p256, kid: 7 }, expect: { refused: '"kid" is not a string' } },
  { name: 'an EC private key (d)', member: ecPrivate, expect: { refused: 'private key material' } },
  ...['p', 'q', 'dp', 'dq', 'qi', 'oth'].map((name): Row => ({
    name: `an RSA key with "${name}"`,
    member: { ...rsa, [name]: 'AQAB' },
    expect: { refused: 'private key material' },
  })),
  { name: 'a public key with an undefined-looking "d": null', member: { ...p256, d: null }, expect: { refused: 'private key material' } },
  { name: 'use "enc"', member: { ...rsa, use: 'enc' }, expect: { refused: '"use"' } },
  { name: 'use "SIG" (case matters)', member: { ...rsa, use: 'SIG' }, expect: { refused: '"use"' } },
  { name: 'key_ops ["encrypt"]', member: { ...rsa, key_ops: ['encrypt'] }, expect: { refused: '"key_ops"' } },
  { name: 'key_ops "verify" as a string', member: { ...rsa, key_ops: 'verify' }, expect: { refused: '"key_ops"' } },
  { name: 'an empty key_ops', member: { ...rsa, key_ops: [] }, expect: { refused: '"key_ops"' } },
  { name: 'an oct key', member: { kty: 'oct', k: 'c2VjcmV0', alg: 'HS256' }, expect: { refused: 'symmetric' } },
  { name: 'an unknown kty', member: { kty: 'XYZ', x: 'abc' }, expect: { refused: 'unknown key type' } },
  { name: 'no kty', member: { n: rsa.n, e: rsa.e }, expect: { refused: 'unknown key type' } },
  { name: 'a very long unknown kty (the reason stays short)', member: { kty: 'X'.repeat(10_000) }, expect: { refused: 'unknown key type' } },
  { name: 'e = 1', member: { ...rsa, e: 'AQ' }, expect: { refused: 'exponent' } },
  { name: 'e = 3', member: { ...rsa, e: 'Aw' }, expect: { refused: 'exponent' } },
  { name: 'e = 65537 spelled with a leading zero byte', member: { ...rsa, e: 'AAEAAQ' }, expect: { refused: 'exponent' } },
  { name: 'an RSA key without n', member: { kty: 'RSA', e: 'AQAB' }, expect: { refused: '"n" or "e"' } },
  { name: 'an RSA key with an empty n', member: { ...rsa, n: '' }, expect: { refused: '"n" or "e"' } },
  { name: 'secp256k1', member: { ...p256, crv: 'secp256k1' }, expect: { refused: 'curve' } },
  { name: 'an EC key without y', member: { kty: 'EC', crv: 'P-256', x: p256.x }, expect: { refused: 'curve' } },
  { name: 'X25519 (an ECDH curve)', member: { ...ed25519, crv: 'X25519' }, expect: { refused: 'not Ed25519' } },
  { name: 'Ed448', member: { ...ed25519, crv: 'Ed448' }, expect: { refused: 'not Ed25519' } },
  { name: 'a P-384 key claiming ES256', member: { ...p384, alg: 'ES256' }, expect: { refused: '"alg" does not match' } },
  { name: 'an RSA key claiming ES256', member: { ...rsa, alg: 'ES256' }, expect: { refused: '"alg" does not match' } },
  { name: 'an RSA key claiming HS256', member: { ...rsa, alg: 'HS256' }, expect: { refused: '"alg" does not match' } },
  { name: 'an RSA key claiming none', member: { ...rsa, alg: 'none' }, expect: { refused: '"alg" does not match' } },
  { name: 'a numeric alg', member: { ...rsa, alg: 256 }, expect: { refused: '"alg" does not match' } },
  { name: 'an EC key outside the allow-list', member: p256, allowed: new Set(['RS256']), expect: { refused: 'no allowed algorithm' } },
];

describe('usableJwk', () => {
  for (const row of rows) {
    it(`${Array.isArray(row.expect) ? 'uses' : 'refuses'} ${row.name}`, () => {
      const result = usableJwk(row.member, row.allowed ?? ALL);
      if (Array.isArray(row.expect)) {
        assert.notEqual(typeof result, 'string', `refused: ${String(result)}`);
        assert.deepEqual((result as UsableJwk).algorithms, row.expect);
      } else {
        assert.equal(typeof result, 'string');
        assert.ok((result as string).includes((row.expect as { refused: string }).refused), `reason: ${String(result)}`);
        assert.ok((result as string).length < 100, 'a short reason, safe to log');
      }
    });
  }

  it('keeps only the public members, whatever else the JWK carries', () => {
    const result = usableJwk({ ...p256, kid: 'k1', use: 'sig', x5c: ['MII'], extra: 'x' }, ALL) as UsableJwk;
    assert.deepEqual(result.jwk, { kty: 'EC', crv: 'P-256', x: p256.x, y: p256.y });
    assert.equal(result.kid, 'k1');
  });
});

describe('importVerificationKey (the checks that need the parsed key)', () => {
  const importFor = (member: Record<string, unknown>, alg: string) => importVerificationKey(usableJwk(member, ALL) as UsableJwk, alg, 'id');

  for (const bits of [512, 1024, 2047]) {
    it(`refuses a ${bits}-bit RSA key`, async () => {
      const small = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      assert.match(String(await importFor(small, 'RS256')), new RegExp(`RSA key of ${bits} bits`));
    });
  }

  it('imports a 2048-bit RSA key with its exact signature size', async () => {
    const key = await importFor(rsa, 'PS256');
    assert.notEqual(typeof key, 'string');
    assert.equal((key as { signatureLength: number }).signatureLength, 256);
  });

  it('refuses an EC point that is not on its curve', async () => {
    const offCurve = { ...p256, y: p256.x };
    assert.match(String(await importFor(offCurve, 'ES256')), /could not import/);
  });
});
