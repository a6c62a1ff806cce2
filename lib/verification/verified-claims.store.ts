import type { AccessTokenClaims } from './access-token-claims.js';

// Keyed by the request object itself: nothing upstream (a middleware setting `req.user`,
// a client-sent property) can plant claims that the guard did not verify.
const verifiedClaims = new WeakMap<object, AccessTokenClaims>();

/** Records the claims the guard verified for this request. */
export function setVerifiedClaims(request: object, claims: AccessTokenClaims): void {
  verifiedClaims.set(request, claims);
}

/**
 * The claims verified for this request, or `undefined` on public routes.
 * For code outside a controller (interceptors, filters) that cannot use `@CurrentUser()`.
 *
 * @example
 * const claims = getVerifiedClaims(context.switchToHttp().getRequest());
 */
export function getVerifiedClaims<T extends object = object>(request: object): AccessTokenClaims<T> | undefined {
  return verifiedClaims.get(request) as AccessTokenClaims<T> | undefined;
}
