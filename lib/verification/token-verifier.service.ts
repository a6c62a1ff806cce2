import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants.js';
import type { ResolvedAuthOptions } from '../auth-options.js';
import { IssuerUnavailableError } from '../errors/auth.errors.js';
import { tokenError } from '../errors/token-errors.js';
import { JwksProvider } from '../jwks/jwks.provider.js';
import type { VerificationKey } from '../jwks/verification-key.js';
import type { AccessTokenClaims } from './access-token-claims.js';
import { checkClaims } from './claims-policy.js';
import { parseCompactJwt, type CompactJwt } from './compact-jwt.js';
import { deepFreeze } from './deep-freeze.js';
import { HeaderMemo } from './header-memo.js';
import { checkHeader } from './header-policy.js';
import { signatureMatches } from './signature.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

// Far more than one issuer's keys × token types; the memo only saves work, so its size is not an option.
const DISTINCT_HEADERS = 64;

/**
 * Verifies access tokens: signature, algorithm, `iss`, `aud`, `exp`/`nbf` and type.
 * It answers synchronously whenever it can — a cached token, or a key already in memory —
 * and returns a promise only when the key set must be fetched first.
 * Failures throw an `AuthError` (`InvalidTokenError` or `IssuerUnavailableError`).
 *
 * @example
 * const claims = await verifier.verify(token);
 */
@Injectable()
export class TokenVerifier {
  private readonly cache?: VerifiedTokenCache;
  private readonly headers = new HeaderMemo(DISTINCT_HEADERS);
  private readonly isCurrent = (key: VerificationKey): boolean => this.jwks.isCurrent(key);

  constructor(
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly jwks: JwksProvider,
  ) {
    const { tokenCache } = options;
    if (tokenCache !== false) {
      this.cache = new VerifiedTokenCache(tokenCache.maxEntries, tokenCache.ttl, options.clockTolerance);
    }
  }

  /**
   * The claims of a cached verification of exactly this string that may still be served, or
   * `undefined`; never verifies. Every cached string matched the compact JWS shape when it was
   * verified — a subset of RFC 6750's b64token — so a hit also answers a grammar check.
   */
  cached(token: string): AccessTokenClaims | undefined {
    return this.cache?.get(token, Date.now(), this.isCurrent);
  }

  verify(token: string): AccessTokenClaims | Promise<AccessTokenClaims> {
    return this.cached(token) ?? this.verifyFresh(token);
  }

  /**
   * Full verification without asking the cache first, for a caller that just did with
   * `cached()` (the guard): a miss would otherwise be looked up twice. A success is cached.
   */
  verifyFresh(token: string): AccessTokenClaims | Promise<AccessTokenClaims> {
    const jwt = parseCompactJwt(token, this.headers);
    checkHeader(jwt.header, this.options);
    const kid = jwt.header.kid as string | undefined;
    const key = this.jwks.select(kid, jwt.header.alg as string);
    if (key !== undefined) return this.verifyWith(token, jwt, key);
    return this.verifyAfterRefresh(token, jwt, kid);
  }

  private async verifyAfterRefresh(token: string, jwt: CompactJwt, kid: string | undefined): Promise<AccessTokenClaims> {
    const refresh = this.jwks.refreshIfAllowed();
    if (refresh !== undefined) await refresh;
    const key = this.jwks.select(kid, jwt.header.alg as string);
    if (key !== undefined) return this.verifyWith(token, jwt, key);
    if (!this.jwks.ready) throw new IssuerUnavailableError(this.jwks.retryAfterSeconds());
    throw tokenError('keyNotFound');
  }

  private verifyWith(token: string, jwt: CompactJwt, key: VerificationKey): AccessTokenClaims {
    if (!signatureMatches(key, jwt.signingInput, jwt.signature)) throw tokenError('signature');
    const now = Date.now();
    checkClaims(jwt.claims, this.options, Math.floor(now / 1000));
    const claims = deepFreeze(jwt.claims) as AccessTokenClaims;
    this.cache?.set(token, claims, key, now);
    return claims;
  }
}
