import { verify } from 'node:crypto';
import type { VerificationKey } from '../jwks/verification-key.js';

/**
 * Checks a JWS signature synchronously with `node:crypto`, over a key jose imported.
 * It skips WebCrypto's thread-pool round trip; the differential test proves it accepts
 * and refuses exactly what jose's `jwtVerify` does.
 */
export function signatureMatches(key: VerificationKey, signingInput: Buffer, signature: Uint8Array): boolean {
  if (key.signatureLength !== undefined && signature.byteLength !== key.signatureLength) return false;
  try {
    return verify(key.digest, signingInput, key.keyInput, signature);
  } catch {
    return false;
  }
}
