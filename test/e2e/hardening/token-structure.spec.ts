import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompactEncrypt } from 'jose';
import { AuthModule, TokenVerifier } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { accepted, badRequest, checkToken, invalidToken, type Expectation } from '../../fixtures/forge-expect.js';
import {
  ForgeKey,
  b64url,
  forgeJws,
  nonCanonicalBase64url,
  segmentOf,
  segmentsOf,
  signatureBytes,
  validClaims,
  withSegment,
} from '../../fixtures/forge.js';
import { describeOnEachPlatform, startApp } from '../../fixtures/test-app.js';

// The compact JWS shape (RFC 7515 §7.1, RFC 7519 §7.2): anything but three canonical
// base64url segments of a JSON-object header and claims set is refused as malformed,
// even when it is validly signed. Validly signed odd tokens come from `published`, a key
// the test holds and the issuer's JWKS lists.

const audience = 'https://api.test';

interface Forge {
  readonly issuer: TestIssuer;
  readonly published: ForgeKey;
  /** Valid claims, as the exact JSON text with `extra` spliced in before the closing brace. */
  claimsText(extra: string): string;
  /** A valid token signed by the issuer. */
  valid(): Promise<string>;
}

interface TokenRow {
  readonly name: string;
  readonly make: (forge: Forge) => string | Promise<string>;
  readonly expect: Expectation;
}

const malformed = invalidToken('auth.token_malformed');

const rows: TokenRow[] = [
  // segment count and emptiness
  { name: 'one segment', make: (f) => segmentOf({ alg: 'RS256', kid: f.published.kid }), expect: malformed },
  { name: 'two segments', make: async (f) => segmentsOf(await f.valid()).slice(0, 2).join('.'), expect: malformed },
  { name: 'four segments', make: async (f) => `${await f.valid()}.${b64url('extra')}`, expect: malformed },
  {
    name: 'a five-part JWE, refused before any decryption',
    make: async (f) =>
      new CompactEncrypt(new TextEncoder().encode(f.claimsText('')))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: f.published.kid, cty: 'JWT' })
        .encrypt(f.published.publicKey),
    expect: malformed,
  },
  {
    name: 'a JWS JSON serialization, base64url-encoded',
    make: async (f) => {
      const [header, payload, signature] = segmentsOf(await f.valid());
      return b64url(JSON.stringify({ protected: header, payload, signature }));
    },
    expect: malformed,
  },
  { name: 'only dots', make: () => '..', expect: malformed },
  { name: 'an empty header segment', make: async (f) => withSegment(await f.valid(), 0, ''), expect: malformed },
  { name: 'an empty payload segment', make: async (f) => withSegment(await f.valid(), 1, ''), expect: malformed },
  { name: 'an empty signature segment', make: async (f) => withSegment(await f.valid(), 2, ''), expect: malformed },
  // base64url alphabet and canonical form
  { name: '"+" in the payload (base64, not base64url)', make: async (f) => withSegment(await f.valid(), 1, `+${segmentsOf(await f.valid())[1].slice(1)}`), expect: malformed },
  { name: '"/" in the signature', make: async (f) => withSegment(await f.valid(), 2, `/${segmentsOf(await f.valid())[2].slice(1)}`), expect: malformed },
  { name: '"=" padding on the signature', make: async (f) => `${await f.valid()}==`, expect: malformed },
  // "=" is only legal at the end of a b64token, so padding inside is a request error (RFC 6750 §2.1)
  {
    name: '"=" padding on the header',
    make: async (f) => withSegment(await f.valid(), 0, `${segmentsOf(await f.valid())[0]}=`),
    expect: badRequest('auth.authorization_token_invalid_format'),
  },
  {
    name: 'a non-canonical spelling of a valid signature (same bytes)',
    make: async (f) => {
      const token = await f.valid();
      const respelled = nonCanonicalBase64url(segmentsOf(token)[2]);
      assert.deepEqual(Buffer.from(respelled, 'base64url'), signatureBytes(token), 'the respelling must decode to the same bytes');
      return withSegment(token, 2, respelled);
    },
    expect: malformed,
  },
  {
    name: 'a non-canonical spelling of the signed payload',
    make: async (f) => {
      const token = await f.valid();
      return withSegment(token, 1, nonCanonicalBase64url(segmentsOf(token)[1]));
    },
    expect: invalidToken('auth.token_signature_invalid'),
  },
  // header and payload must be JSON objects, even when validly signed
  ...['{"alg":"RS256"', '[]', '"RS256"', '256', 'null', 'true'].map((json) => ({
    name: `a validly signed header that is ${json}`,
    make: (f: Forge) => forgeJws('RS256', f.published.privateKey, json, f.claimsText('')),
    expect: malformed,
  })),
  ...['not json', '[{"sub":"array-claims"}]', '"a string"', '42', 'null', '{"sub":"unterminated"'].map((json) => ({
    name: `a validly signed payload that is ${json}`,
    make: (f: Forge) => f.published.sign(json),
    expect: malformed,
  })),
  // deep nesting: parsing is not recursive, and maxTokenLength bounds the depth a claim can reach
  {
    name: 'a validly signed claim nested 1000 arrays deep (round-trips)',
    make: (f) => f.published.sign(f.claimsText(`,"deep":${'['.repeat(1000)}${']'.repeat(1000)}`)),
    expect: accepted,
  },
  {
    name: 'a claim nested 4000 arrays deep (over maxTokenLength)',
    make: (f) => f.published.sign(f.claimsText(`,"deep":${'['.repeat(4000)}${']'.repeat(4000)}`)),
    expect: invalidToken('auth.token_too_large'),
  },
  {
    name: 'a forged payload nested 2900 arrays deep, just within maxTokenLength',
    make: (f) => `${segmentOf({ alg: 'RS256', kid: f.published.kid })}.${segmentOf(`{"deep":${'['.repeat(2900)}${']'.repeat(2900)}}`)}.${b64url('x'.repeat(256))}`,
    expect: invalidToken('auth.token_signature_invalid'),
  },
  // duplicate names: RFC 7519 §4 allows "the lexically last" member, as JSON.parse and jose do
  { name: 'duplicate "sub": the last one wins', make: (f) => f.published.sign(f.claimsText(',"sub":"first","sub":"last"')), expect: accepted },
  {
    name: 'duplicate "exp", the last in the past',
    make: (f) => f.published.sign(f.claimsText(`,"exp":${Math.floor(Date.now() / 1000) + 600},"exp":1000`)),
    expect: invalidToken('auth.token_expired'),
  },
  {
    name: 'duplicate "alg", the last "none"',
    make: (f) => forgeJws('RS256', f.published.privateKey, `{"alg":"RS256","kid":"${f.published.kid}","alg":"none"}`, f.claimsText('')),
    expect: invalidToken('auth.token_algorithm_not_allowed'),
  },
  // Unicode and NUL inside claims of a valid token are data: accepted and returned exactly
  {
    name: 'NUL, emoji, bidi controls and combining marks in claims',
    make: (f) => f.issuer.sign({ sub: 'nul\u0000inside', name: 'Zoë 🦊 \u202eevil\u202c', note: 'e\u0301\u0000\u001f\u2028\u2029' }),
    expect: accepted,
  },
  { name: 'a lone surrogate escape in a claim', make: (f) => f.published.sign(f.claimsText(',"sub":"lone \\ud800 surrogate"')), expect: accepted },
  { name: 'a NUL in a claim name', make: (f) => f.published.sign(f.claimsText(',"na\\u0000me":"value"')), expect: accepted },
  // nested JWTs (RFC 7519 §5.2 cty: JWT) are never unwrapped
  {
    name: 'a nested JWT: an issuer token as the payload of a signed outer token',
    make: async (f) => f.published.sign(await f.valid(), { cty: 'JWT' }),
    expect: malformed,
  },
  { name: 'cty "JWT" on an ordinary claims set (ignored, as jose does)', make: (f) => f.issuer.sign({}, { header: { cty: 'JWT' } }), expect: accepted },
];

describe('hardening: token structure', () => {
  let forge: Forge;

  before(async () => {
    const issuer = await TestIssuer.start({ audience });
    const published = new ForgeKey('RS256', 'structure-published-rs256');
    issuer.setJwks({ keys: [...issuer.jwks.keys, published.publicJwk] });
    forge = {
      issuer,
      published,
      claimsText: (extra) => JSON.stringify(validClaims(issuer.issuer, audience)).replace(/}$/, `${extra}}`),
      valid: () => issuer.sign({ sub: 'structure-canary-subject' }),
    };
  });
  after(() => forge.issuer.stop());

  // Such a claim cannot travel in a header (Node caps them at 16 KiB) and would overflow
  // JSON.stringify in an echoing controller, so this is checked against the verifier itself,
  // as a custom transport would call it with a large maxTokenLength.
  it('verifies a claim nested 40,000 arrays deep without exhausting the stack', async () => {
    const app = await startApp('express', [AuthModule.forRoot({ issuer: forge.issuer.issuer, audience, maxTokenLength: 200_000 })], [MeController]);
    try {
      const depth = 40_000;
      const claims = await app.app.get(TokenVerifier).verify(forge.published.sign(forge.claimsText(`,"deep":${'['.repeat(depth)}${']'.repeat(depth)}`)));
      let level: unknown = claims.deep;
      for (let n = 1; n < depth; n++) level = (level as unknown[])[0];
      assert.deepEqual(level, []);
      assert.ok(Object.isFrozen(level), 'frozen all the way down');
    } finally {
      await app.close();
    }
  });

  describeOnEachPlatform(
    (platform) => `on ${platform}`,
    () => [AuthModule.forRoot({ issuer: forge.issuer.issuer, audience })],
    [MeController],
    (app) => {
      for (const row of rows) {
        it(`${row.expect.status === 200 ? 'accepts' : 'refuses'} ${row.name}`, async () => checkToken(app.url, await row.make(forge), row.expect));
      }
    },
  );
});
