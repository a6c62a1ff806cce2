import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** The algorithms a `TestIssuer` signs with. */
export type TestIssuerAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export const TEST_ISSUER_ALGORITHMS: readonly TestIssuerAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

/** One signing key: the private half for `sign()`, the public JWK for the JWKS. */
export interface TestSigningKey {
  readonly alg: TestIssuerAlgorithm;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** A fresh key for every algorithm, each with a new random `kid`. */
export async function generateKeyGeneration(): Promise<ReadonlyMap<TestIssuerAlgorithm, TestSigningKey>> {
  const keys = await Promise.all(
    TEST_ISSUER_ALGORITHMS.map(async (alg): Promise<[TestIssuerAlgorithm, TestSigningKey]> => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
      const kid = `${alg.toLowerCase()}-${randomUUID()}`;
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
      return [alg, { alg, kid, privateKey, publicJwk }];
    }),
  );
  return new Map(keys);
}
