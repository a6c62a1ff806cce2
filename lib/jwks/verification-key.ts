import type { KeyObject, VerifyKeyObjectInput, webcrypto } from 'node:crypto';

/**
 * A public key from the issuer's JWKS, imported by jose for exactly one JWS algorithm,
 * with what `node:crypto` needs to check a signature synchronously.
 */
export interface VerificationKey {
  readonly kid: string | undefined;
  readonly alg: string;
  /** The key as jose imported it. */
  readonly cryptoKey: webcrypto.CryptoKey;
  /** `crypto.verify` arguments prepared once, so a request allocates nothing for the key. */
  readonly digest: string | null;
  readonly keyInput: KeyObject | VerifyKeyObjectInput;
  /** Exact signature size in bytes; any other size is refused before the math. */
  readonly signatureLength: number | undefined;
  /** Same public material and algorithm ⇒ same identity, so unchanged keys survive a refresh. */
  readonly identity: string;
}
