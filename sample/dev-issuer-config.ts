import type { JWK } from 'jose';
import { errors, type Adapter, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { DEV_ISSUER_ALGORITHMS, type DevIssuerAlgorithm } from './dev-issuer-keys.js';

/**
 * Request header that picks the signing algorithm of one access token (default RS256).
 * RFC 9068 leaves the algorithm to the resource server's registration, which here is the
 * same for every request; the header lets the e2e tests get ES256/EdDSA tokens for the one
 * audience without a client or resource per algorithm. Dev issuer only.
 */
export const SIGNING_ALG_HEADER = 'dev-issuer-signing-alg';

/** Seconds an access token (and the ID token of `issueIdToken`) stays valid. */
const TOKEN_TTL = 600;

export interface DevIssuerClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * The dev issuer keeps no state: access tokens are self-contained JWTs (never stored) and the
 * only client is static. Finding nothing is what oidc-provider's docs ask of an adapter for
 * static-only clients; any attempt to store means a flow this issuer does not offer.
 */
class NoStorage implements Adapter {
  async upsert(): Promise<void> {
    throw new Error('The dev issuer stores nothing: it only issues JWT access tokens by client credentials.');
  }
  async find(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

function signingAlgorithm(ctx: KoaContextWithOIDC): DevIssuerAlgorithm {
  const requested = ctx.get(SIGNING_ALG_HEADER) || 'RS256';
  const alg = DEV_ISSUER_ALGORITHMS.find((known) => known === requested);
  if (alg === undefined) throw new errors.InvalidRequest(`${SIGNING_ALG_HEADER} must be one of ${DEV_ISSUER_ALGORITHMS.join(', ')}`);
  return alg;
}

/**
 * oidc-provider configuration of the dev issuer: one confidential client that may only use the
 * client-credentials grant, and RFC 8707 resource indicators so every access token is an
 * RFC 9068 JWT whose `aud` is the requested resource (`audience` when none is requested).
 */
export function devIssuerConfiguration(audience: string, client: DevIssuerClient, keys: JWK[]): Configuration {
  return {
    adapter: NoStorage,
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys },
    ttl: { ClientCredentials: TOKEN_TTL, IdToken: TOKEN_TTL },
    features: {
      // No authorization endpoint flows, so no login pages (and no dev-only warning about them).
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // `curl -d grant_type=client_credentials` alone still gets a token for this API.
        defaultResource: () => audience,
        // Any absolute URI is a resource server here, so a test can ask for another audience.
        getResourceServerInfo: (ctx, resource) => ({
          scope: '',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: TOKEN_TTL,
          jwt: { sign: { alg: signingAlgorithm(ctx) } },
        }),
      },
    },
  };
}
