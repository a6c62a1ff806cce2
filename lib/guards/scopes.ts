import type { AccessTokenClaims } from '../verification/access-token-claims.js';

/**
 * The scopes a token grants: RFC 9068 / RFC 8693 `scope` (space-separated), or the `scp`
 * claim that Entra ID, Okta and others use (array or space-separated string).
 */
export function grantedScopes(claims: AccessTokenClaims): ReadonlySet<string> {
  const raw = typeof claims.scope === 'string' ? claims.scope : claims.scp;
  if (typeof raw === 'string') return new Set(raw.split(' ').filter(Boolean));
  if (Array.isArray(raw)) return new Set(raw.filter((scope): scope is string => typeof scope === 'string'));
  return new Set();
}
