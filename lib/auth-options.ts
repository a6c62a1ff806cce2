/** The asymmetric JWS algorithms accepted unless `algorithms` narrows them. */
export const DEFAULT_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
] as const;

/** A JWS algorithm this package can verify. `none` and `HS*` are never among them. */
export type SupportedAlgorithm = (typeof DEFAULT_ALGORITHMS)[number];

/** Options of the verified-token cache. */
export interface TokenCacheOptions {
  /**
   * Most tokens kept; the least recently used is dropped first.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Longest time, in milliseconds, a verified token is served from the cache
   * (it is never served past its own `exp`).
   * @default 300000
   */
  ttl?: number;
}

/**
 * Options of `AuthModule.forRoot()` / the factory of `AuthModule.forRootAsync()`.
 *
 * @example
 * AuthModule.forRoot({ issuer: 'https://tenant.logto.app/oidc', audience: 'https://api.example.com' })
 */
export interface AuthModuleOptions {
  /** The issuer identifier, exactly as the issuer's tokens carry it in `iss`. */
  issuer: string;
  /** The audience (or audiences) this API accepts in `aud`; one match is enough. */
  audience: string | string[];
  /**
   * JWS algorithms accepted. `none` and the symmetric `HS*` algorithms are refused even if listed.
   * @default every asymmetric algorithm: RS/PS/ES 256/384/512, EdDSA, Ed25519
   */
  algorithms?: string[];
  /**
   * Seconds of clock skew allowed when checking `exp` and `nbf`.
   * @default 5
   */
  clockTolerance?: number;
  /** The JWKS address; when set, discovery is skipped. */
  jwksUri?: string;
  /**
   * The discovery document address.
   * @default `${issuer}/.well-known/openid-configuration`, then RFC 8414's `/.well-known/oauth-authorization-server`
   */
  discoveryUrl?: string;
  /**
   * Claims every token must carry, on top of `iss`, `aud` and `exp`, which are always required.
   * @default []
   */
  requiredClaims?: string[];
  /**
   * Require this JWT `typ` header, e.g. `'at+jwt'` for strict RFC 9068 access tokens
   * (`application/` prefix and case are ignored). When unset, `typ` may be absent,
   * `JWT` or `at+jwt`; any other type (ID-token, logout or event tokens) is refused.
   */
  tokenType?: string;
  /**
   * The `realm` of `WWW-Authenticate` challenges.
   * @default 'api'
   */
  realm?: string;
  /**
   * Longest token, in characters, read from the `Authorization` header; checked before any parsing.
   * @default 8192
   */
  maxTokenLength?: number;
  /**
   * Milliseconds after which the key set is refreshed in the background.
   * @default 600000
   */
  jwksCacheMaxAge?: number;
  /**
   * Least milliseconds between two key-set fetches caused by unknown `kid`s.
   * @default 30000
   */
  jwksCooldown?: number;
  /**
   * Milliseconds a discovery or JWKS request may take, body included.
   * @default 3000
   */
  fetchTimeout?: number;
  /**
   * The verified-token cache, or `false` to verify every request afresh.
   * @default { maxEntries: 10000, ttl: 300000 }
   */
  tokenCache?: TokenCacheOptions | false;
}

/** The options after validation, with every default filled in. */
export interface ResolvedAuthOptions {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly algorithms: ReadonlySet<string>;
  readonly clockTolerance: number;
  readonly jwksUri?: string;
  readonly discoveryUrls: readonly string[];
  readonly requiredClaims: readonly string[];
  readonly tokenType?: string;
  readonly realm: string;
  readonly maxTokenLength: number;
  readonly jwksCacheMaxAge: number;
  readonly jwksCooldown: number;
  readonly fetchTimeout: number;
  readonly tokenCache: Required<TokenCacheOptions> | false;
}
