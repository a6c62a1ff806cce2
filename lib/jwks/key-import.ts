import { KeyObject, constants, type webcrypto } from 'node:crypto';
import { importJWK } from 'jose';
import type { KeyRefusal, UsableJwk } from './key-policy.js';
import type { VerificationKey } from './verification-key.js';

const MIN_RSA_BITS = 2048;
const EC_SIGNATURE_BYTES: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 };

function digestOf(alg: string): string | null {
  return alg === 'EdDSA' || alg === 'Ed25519' ? null : `sha${alg.slice(2)}`;
}

/** The `crypto.verify` key argument for `alg`, mirroring the parameters WebCrypto uses in jose. */
function keyInputFor(alg: string, keyObject: KeyObject): VerificationKey['keyInput'] {
  if (alg.startsWith('PS')) {
    return { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  }
  if (alg.startsWith('ES')) return { key: keyObject, dsaEncoding: 'ieee-p1363' };
  return keyObject;
}

/**
 * Imports one usable JWK with jose for one algorithm and prepares its fast-path form.
 * Weak RSA keys are refused here, once, instead of failing every verification.
 */
export async function importVerificationKey(
  usable: UsableJwk,
  alg: string,
  identity: string,
): Promise<VerificationKey | KeyRefusal> {
  let cryptoKey: webcrypto.CryptoKey;
  try {
    cryptoKey = (await importJWK(usable.jwk, alg)) as webcrypto.CryptoKey;
  } catch {
    return `jose could not import it for ${alg}`;
  }
  const keyObject = KeyObject.from(cryptoKey);
  const details = keyObject.asymmetricKeyDetails ?? {};
  let signatureLength = EC_SIGNATURE_BYTES[alg];
  if (usable.jwk.kty === 'RSA') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return `RSA key of ${bits} bits (at least ${MIN_RSA_BITS} required)`;
    signatureLength = Math.ceil(bits / 8);
  }
  return {
    kid: usable.kid,
    alg,
    cryptoKey,
    digest: digestOf(alg),
    keyInput: keyInputFor(alg, keyObject),
    signatureLength,
    identity,
  };
}
