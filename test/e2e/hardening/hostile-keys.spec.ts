import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { accepted, checkToken, invalidToken, type Expectation } from '../../fixtures/forge-expect.js';
import { ForgeKey, b64url, forgeJws, pkcs1Sha256Encoding, segmentOf, validClaims } from '../../fixtures/forge.js';
import { describeOnEachPlatform } from '../../fixtures/test-app.js';

// A JWKS that mixes good keys with hostile members: each bad member is skipped on its own,
// the good keys keep working, and nothing signed by a bad key is ever accepted (nor a 500).

const audience = 'https://api.test';

interface Hostile {
  readonly issuer: TestIssuer;
  readonly keys: Record<string, ForgeKey>;
  /** A 2048-bit modulus published with e = 1, under kid `hostile-rsa-e1`. */
  readonly e1Jwk: JWK;
  readonly claims: () => Record<string, unknown>;
}

interface TokenRow {
  readonly name: string;
  readonly make: (hostile: Hostile) => string;
  readonly expect: Expectation;
}

const keyNotFound = invalidToken('auth.token_key_not_found');
const OCT_SECRET = Buffer.from('hostile-oct-secret-32-bytes-long');

/** The JWK a key would publish, with `extra` members merged in (`undefined` drops one). */
const jwkOf = (key: ForgeKey, extra: Record<string, unknown>): Record<string, unknown> => {
  const jwk: Record<string, unknown> = { ...key.publicJwk, ...extra };
  for (const [name, value] of Object.entries(jwk)) if (value === undefined) delete jwk[name];
  return jwk;
};

/** RS256 under a key with e = 1: the PKCS#1 encoding of the digest is its own signature. */
function e1Forgery(hostile: Hostile): string {
  const signingInput = `${segmentOf({ alg: 'RS256', kid: 'hostile-rsa-e1', typ: 'at+jwt' })}.${segmentOf(hostile.claims())}`;
  return `${signingInput}.${b64url(pkcs1Sha256Encoding(signingInput, 256))}`;
}

const signedBy = (name: string, header: Record<string, unknown> = {}, signAlg?: string) => (h: Hostile): string =>
  h.keys[name].sign(h.claims(), header, signAlg);

const rows: TokenRow[] = [
  { name: 'a 512-bit RSA key', make: signedBy('rsa512'), expect: keyNotFound },
  { name: 'a 1024-bit RSA key', make: signedBy('rsa1024'), expect: keyNotFound },
  { name: 'an RSA key with e = 3', make: signedBy('rsaE3'), expect: keyNotFound },
  { name: 'an RSA key with e = 1 (a forgery without any private key)', make: e1Forgery, expect: keyNotFound },
  { name: 'a key published with use "enc"', make: signedBy('useEnc'), expect: keyNotFound },
  { name: 'a key published with key_ops ["encrypt"]', make: signedBy('keyOpsEncrypt'), expect: keyNotFound },
  { name: 'a key published with key_ops "verify" as a string', make: signedBy('keyOpsString'), expect: keyNotFound },
  { name: 'an EC key published with its private "d"', make: signedBy('ecPrivate'), expect: keyNotFound },
  { name: 'an RSA key published with its private members', make: signedBy('rsaPrivate'), expect: keyNotFound },
  { name: 'a P-384 key published with alg ES256', make: signedBy('p384AsEs256', {}, 'ES384'), expect: keyNotFound },
  { name: 'an RSA key published with alg ES256', make: signedBy('rsaAsEs256', { alg: 'RS256' }, 'RS256'), expect: keyNotFound },
  { name: 'a key whose JWK kid is a number (token kid "7")', make: signedBy('numericKid', { kid: '7' }), expect: keyNotFound },
  { name: 'a secp256k1 key, as ES256K', make: signedBy('secp256k1'), expect: invalidToken('auth.token_algorithm_not_allowed') },
  { name: 'a secp256k1 key, claiming ES256', make: signedBy('secp256k1', { alg: 'ES256' }), expect: keyNotFound },
  { name: 'an EC point that is not on P-256', make: signedBy('offCurve'), expect: keyNotFound },
  { name: 'one of two keys sharing a kid (never guess)', make: signedBy('duplicateA'), expect: keyNotFound },
  { name: 'the other of two keys sharing a kid', make: signedBy('duplicateB'), expect: keyNotFound },
  {
    name: 'an oct key, as HS256',
    make: (h) => forgeJws('HS256', OCT_SECRET, { alg: 'HS256', kid: 'hostile-oct' }, h.claims()),
    expect: invalidToken('auth.token_algorithm_not_allowed'),
  },
  { name: 'the kid of the oct key, as RS256', make: (h) => h.keys.unpublished.sign(h.claims(), { kid: 'hostile-oct' }), expect: keyNotFound },
  { name: 'the kid of an unknown kty', make: (h) => h.keys.unpublished.sign(h.claims(), { kid: 'hostile-unknown-kty' }), expect: keyNotFound },
  // controls: well-formed keys next to the hostile ones verify as usual
  { name: 'a good key with key_ops ["verify"]', make: signedBy('keyOpsVerify'), expect: accepted },
  { name: 'a good P-256 key published without alg', make: signedBy('ecNoAlg'), expect: accepted },
];

describe('hardening: hostile members in the issuer\'s JWKS', () => {
  let hostile: Hostile;

  before(async () => {
    const issuer = await TestIssuer.start({ audience });
    const keys = {
      rsa512: new ForgeKey('RS256', 'hostile-rsa-512', { modulusLength: 512 }),
      rsa1024: new ForgeKey('RS256', 'hostile-rsa-1024', { modulusLength: 1024 }),
      rsaE3: new ForgeKey('RS256', 'hostile-rsa-e3', { publicExponent: 3 }),
      useEnc: new ForgeKey('RS256', 'hostile-use-enc', { jwk: { use: 'enc' } }),
      keyOpsEncrypt: new ForgeKey('ES256', 'hostile-key-ops-encrypt', { jwk: { use: undefined, key_ops: ['encrypt'] } }),
      keyOpsString: new ForgeKey('ES256', 'hostile-key-ops-string', { jwk: { use: undefined, key_ops: 'verify' } }),
      keyOpsVerify: new ForgeKey('ES256', 'good-key-ops-verify', { jwk: { use: undefined, key_ops: ['verify'] } }),
      ecPrivate: new ForgeKey('ES256', 'hostile-ec-private'),
      rsaPrivate: new ForgeKey('RS256', 'hostile-rsa-private'),
      p384AsEs256: new ForgeKey('ES384', 'hostile-p384-as-es256', { jwk: { alg: 'ES256' } }),
      rsaAsEs256: new ForgeKey('RS256', 'hostile-rsa-as-es256', { jwk: { alg: 'ES256' } }),
      numericKid: new ForgeKey('ES256', 'hostile-numeric-kid', { jwk: { kid: 7 } }),
      secp256k1: new ForgeKey('ES256K', 'hostile-secp256k1'),
      offCurve: new ForgeKey('ES256', 'hostile-off-curve', { jwk: { x: b64url(randomBytes(32)), y: b64url(randomBytes(32)) } }),
      duplicateA: new ForgeKey('RS256', 'hostile-duplicate-kid'),
      duplicateB: new ForgeKey('RS256', 'hostile-duplicate-kid'),
      ecNoAlg: new ForgeKey('ES256', 'good-ec-without-alg', { jwk: { alg: undefined } }),
      unpublished: new ForgeKey('RS256', 'unpublished'),
    };
    const e1Jwk = { ...keys.duplicateA.publicJwk, e: 'AQ', kid: 'hostile-rsa-e1' };
    const privateJwk = (key: ForgeKey): Record<string, unknown> => jwkOf(key, key.privateKey.export({ format: 'jwk' }));
    const { unpublished: _unpublished, ecPrivate, rsaPrivate, ...published } = keys;
    issuer.setJwks({
      keys: [
        'a string',
        null,
        42,
        [],
        true,
        { kty: 'oct', k: b64url(OCT_SECRET), kid: 'hostile-oct' },
        { kty: 'XYZ', kid: 'hostile-unknown-kty', x: b64url(randomBytes(32)) },
        ...issuer.jwks.keys,
        ...Object.values(published).map((key) => key.publicJwk),
        e1Jwk,
        privateJwk(ecPrivate),
        privateJwk(rsaPrivate),
      ],
    });
    hostile = { issuer, keys, e1Jwk, claims: () => validClaims(issuer.issuer, audience, { sub: 'hostile-key-canary-subject' }) };
  });
  after(() => hostile.issuer.stop());

  it('builds a real e = 1 forgery: plain node:crypto accepts it under that key', () => {
    const [header, payload, signature] = e1Forgery(hostile).split('.');
    const key = createPublicKey({ key: hostile.e1Jwk, format: 'jwk' });
    assert.equal(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')), true);
  });

  describeOnEachPlatform(
    (platform) => `on ${platform}`,
    () => [AuthModule.forRoot({ issuer: hostile.issuer.issuer, audience })],
    [MeController],
    (app) => {
      it('keeps verifying tokens of the issuer\'s good keys', async () => {
        for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) await checkToken(app.url, await hostile.issuer.sign({}, { alg }), accepted);
      });

      for (const row of rows) {
        it(`${row.expect.status === 200 ? 'accepts' : 'refuses'} a token signed by ${row.name}`, () => checkToken(app.url, row.make(hostile), row.expect));
      }
    },
  );
});
