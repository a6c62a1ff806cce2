import type { AccessTokenClaims } from './access-token-claims.js';

// A module-private symbol: nothing upstream (a middleware setting `req.user`, a parsed body)
// can plant claims that the guard did not verify, and symbol keys stay out of JSON and
// Object.keys. A property, not a WeakMap entry: a WeakMap.set per request cost more than
// the whole cache lookup under load.
const VERIFIED_CLAIMS = Symbol('nestjs-oidc-bearer:verified-claims');

interface RequestWithClaims {
  [VERIFIED_CLAIMS]?: AccessTokenClaims;
}

/** Records the claims the guard verified for this request. */
export function setVerifiedClaims(request: object, claims: AccessTokenClaims): void {
  (request as RequestWithClaims)[VERIFIED_CLAIMS] = claims;
}

/**
 * The claims verified for this request, or `undefined` on public routes.
 * For code outside a controller (interceptors, filters) that cannot use `@CurrentUser()`.
 *
 * @example
 * const claims = getVerifiedClaims(context.switchToHttp().getRequest());
 */
export function getVerifiedClaims<T extends object = object>(request: object): AccessTokenClaims<T> | undefined {
  return (request as RequestWithClaims)[VERIFIED_CLAIMS] as AccessTokenClaims<T> | undefined;
}
