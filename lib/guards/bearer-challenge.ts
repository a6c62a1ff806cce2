import type { AuthError } from '../errors/auth.errors.js';
import { InsufficientScopeError } from '../errors/auth.errors.js';

/**
 * The `WWW-Authenticate` value for a failure (RFC 6750 §3). Built only from the configured
 * realm, fixed descriptions and validated scope names — never from exception text or the
 * token — so it is always a legal header value.
 */
export function bearerChallenge(realm: string, error: AuthError): string | undefined {
  if (error.status === 503) return undefined;
  let challenge = `Bearer realm="${realm}"`;
  if (error.bearerError === undefined) return challenge;
  challenge += `, error="${error.bearerError}", error_description="${error.message}"`;
  if (error instanceof InsufficientScopeError) challenge += `, scope="${error.requiredScopes.join(' ')}"`;
  return challenge;
}
