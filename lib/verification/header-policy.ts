import type { ProtectedHeaderParameters } from 'jose';
import type { ResolvedAuthOptions } from '../auth-options.js';
import { tokenError } from '../errors/token-errors.js';

/** RFC 9068 / RFC 8725 §3.11: compare media types without case or the `application/` prefix. */
function normalizeType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

const ACCESS_TOKEN_TYPES = new Set(['jwt', 'at+jwt']);

/**
 * Checks the parts of the header that decide how, and whether, the token is verified.
 * `jku`, `x5u`, `jwk` and `x5c` are never read, so a token cannot bring its own key.
 * `crit` and `b64` are refused outright: no access-token profile uses them.
 */
export function checkHeader(header: ProtectedHeaderParameters, options: ResolvedAuthOptions): void {
  if (typeof header.alg !== 'string' || !options.algorithms.has(header.alg)) throw tokenError('algorithm');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw tokenError('header');
  if (header.crit !== undefined || header.b64 !== undefined) throw tokenError('header');
  const { typ } = header;
  if (options.tokenType !== undefined) {
    if (typeof typ !== 'string' || normalizeType(typ) !== normalizeType(options.tokenType)) throw tokenError('type');
  } else if (typ !== undefined && (typeof typ !== 'string' || !ACCESS_TOKEN_TYPES.has(normalizeType(typ)))) {
    throw tokenError('type');
  }
}
