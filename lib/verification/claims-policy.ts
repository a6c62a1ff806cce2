import type { JWTPayload } from 'jose';
import type { ResolvedAuthOptions } from '../auth-options.js';
import { tokenError } from '../errors/token-errors.js';

function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && accepted.some((value) => aud.includes(value));
}

function numericDate(claims: JWTPayload, name: 'iat' | 'nbf' | 'exp'): number | undefined {
  const value = claims[name];
  if (value !== undefined && typeof value !== 'number') throw tokenError('claimInvalid');
  return value;
}

/**
 * Validates the claims of a token whose signature checked out, with the same rules and
 * the same order as jose's `jwtVerify` (the differential test holds us to that):
 * presence of `requiredClaims`, `aud`, `iss` and `exp`; exact `iss`; one matching `aud`;
 * numeric `iat`/`nbf`/`exp`; `nbf` and `exp` against `nowSeconds` with the clock tolerance.
 */
export function checkClaims(claims: JWTPayload, options: ResolvedAuthOptions, nowSeconds: number): void {
  for (const name of options.requiredClaims) {
    if (!Object.hasOwn(claims, name)) throw tokenError('claimMissing');
  }
  if (!Object.hasOwn(claims, 'aud') || !Object.hasOwn(claims, 'iss') || !Object.hasOwn(claims, 'exp')) {
    throw tokenError('claimMissing');
  }
  if (claims.iss !== options.issuer) throw tokenError('issuer');
  if (!audienceMatches(claims.aud, options.audience)) throw tokenError('audience');
  const tolerance = options.clockTolerance;
  numericDate(claims, 'iat');
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > nowSeconds + tolerance) throw tokenError('notYetValid');
  const exp = numericDate(claims, 'exp');
  if (exp === undefined || exp <= nowSeconds - tolerance) throw tokenError('expired');
}
