import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importJWK, jwtVerify } from 'jose';
import type { AccessTokenClaims } from '../../lib/index.js';
import { ForgeKey, signatureBytes, validClaims, withSignature } from '../fixtures/forge.js';
import { staticVerifier } from '../fixtures/static-verifier.js';

// RFC 8017 §8.1.2: an RSASSA-PSS signature is exactly as long as the modulus. OpenSSL (under
// node:crypto and under WebCrypto alike) also verifies one whose leading zero octet was dropped,
// so a PSS token with such a signature has a second spelling that jose's jwtVerify accepts.
// The differential test allows us to be stricter here; this test requires it.

const issuer = 'https://issuer.example.com/tenant';
const audience = 'https://api.example.com';

/** A PS256 token whose signature starts with a zero octet: PSS is randomised, so sign until one does (1 in 256). */
function tokenWithLeadingZero(key: ForgeKey): string {
  const claims = validClaims(issuer, audience);
  for (let attempt = 0; attempt < 4096; attempt += 1) {
    const token = key.sign(claims);
    if (signatureBytes(token)[0] === 0) return token;
  }
  throw new Error('no PSS signature with a leading zero octet in 4096 signings');
}

describe('signature length', () => {
  it('refuses an RSA-PSS signature stripped of its leading zero octet, which jose accepts', async () => {
    const key = new ForgeKey('PS256', 'pss-key');
    const verifier = await staticVerifier({ keys: [key.publicJwk] }, { issuer, audience, tokenCache: false });
    const token = tokenWithLeadingZero(key);
    const stripped = withSignature(token, signatureBytes(token).subarray(1));

    assert.equal((verifier.verify(token) as AccessTokenClaims).sub, 'forged-subject');
    // Why the length check exists: without it, this twin would verify as well.
    const { payload } = await jwtVerify(stripped, await importJWK(key.publicJwk, 'PS256'), { issuer, audience });
    assert.equal(payload.sub, 'forged-subject');
    assert.throws(() => verifier.verify(stripped), { code: 'auth.token_signature_invalid' });
  });
});
