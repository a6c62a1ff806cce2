import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** The algorithms the dev issuer can sign access tokens with. */
export type DevIssuerAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export const DEV_ISSUER_ALGORITHMS: readonly DevIssuerAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

/**
 * One fresh private signing key per algorithm, each with a new random `kid`, as the private
 * JWKs oidc-provider's `jwks` option takes. RS256 is always among them: oidc-provider refuses
 * to start without an RS256 key.
 */
export async function generateDevIssuerKeys(): Promise<JWK[]> {
  return Promise.all(
    DEV_ISSUER_ALGORITHMS.map(async (alg) => {
      const { privateKey } = await generateKeyPair(alg, {
        crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
        extractable: true,
      });
      return { ...(await exportJWK(privateKey)), kid: `${alg.toLowerCase()}-${randomUUID()}`, alg, use: 'sig' };
    }),
  );
}
