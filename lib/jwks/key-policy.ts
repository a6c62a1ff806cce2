/** A JWK member set this package is willing to import: public, for signatures, of a known type. */
export type PublicJwk =
  | { kty: 'RSA'; n: string; e: string }
  | { kty: 'EC'; crv: string; x: string; y: string }
  | { kty: 'OKP'; crv: string; x: string };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

const EC_CURVE_ALG: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const ED25519_ALGS = ['EdDSA', 'Ed25519'];

/** Why a JWK was left out of the key set; a short phrase for the log. */
export type KeyRefusal = string;

/** What a JWK may verify: its public members and the algorithms it may be used with. */
export interface UsableJwk {
  readonly kid: string | undefined;
  readonly jwk: PublicJwk;
  readonly algorithms: readonly string[];
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function compatibleAlgorithms(jwk: Record<string, unknown>): string[] | KeyRefusal {
  switch (jwk.kty) {
    case 'RSA':
      if (!isString(jwk.n) || !isString(jwk.e)) return 'RSA key without "n" or "e"';
      // jose verifies forged RS256 signatures for e=1; only the standard exponent is accepted.
      if (jwk.e !== 'AQAB') return 'RSA key with a public exponent other than 65537';
      return RSA_ALGS;
    case 'EC': {
      const alg = typeof jwk.crv === 'string' ? EC_CURVE_ALG[jwk.crv] : undefined;
      if (alg === undefined || !isString(jwk.x) || !isString(jwk.y)) return 'EC key on an unsupported curve';
      return [alg];
    }
    case 'OKP':
      if (jwk.crv !== 'Ed25519' || !isString(jwk.x)) return 'OKP key that is not Ed25519';
      return ED25519_ALGS;
    case 'oct':
      return 'symmetric key: a published secret must never verify tokens';
    default:
      return `unknown key type ${JSON.stringify(String(jwk.kty)).slice(0, 20)}`;
  }
}

function publicMembers(jwk: Record<string, unknown>): PublicJwk {
  if (jwk.kty === 'RSA') return { kty: 'RSA', n: jwk.n as string, e: jwk.e as string };
  if (jwk.kty === 'EC') return { kty: 'EC', crv: jwk.crv as string, x: jwk.x as string, y: jwk.y as string };
  return { kty: 'OKP', crv: jwk.crv as string, x: jwk.x as string };
}

/**
 * Decides whether one JWKS member may verify tokens, and for which of the allowed algorithms.
 * Refused: private or symmetric material, `use` other than `sig`, `key_ops` without `verify`,
 * non-standard RSA exponents, unknown types and curves, an `alg` outside the allow-list.
 * (Key size is checked after import, where jose has parsed the modulus.)
 */
export function usableJwk(member: unknown, allowed: ReadonlySet<string>): UsableJwk | KeyRefusal {
  if (member === null || typeof member !== 'object' || Array.isArray(member)) return 'not a JSON object';
  const jwk = member as Record<string, unknown>;
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return '"kid" is not a string';
  if (PRIVATE_MEMBERS.some((name) => name in jwk) && jwk.kty !== 'oct') return 'private key material published';
  if (jwk.use !== undefined && jwk.use !== 'sig') return `"use" is not "sig"`;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    return '"key_ops" does not allow "verify"';
  }
  const compatible = compatibleAlgorithms(jwk);
  if (typeof compatible === 'string') return compatible;
  if (jwk.alg !== undefined && (typeof jwk.alg !== 'string' || !compatible.includes(jwk.alg))) {
    return `"alg" does not match the key type`;
  }
  const algorithms = (jwk.alg === undefined ? compatible : [jwk.alg as string]).filter((alg) => allowed.has(alg));
  if (algorithms.length === 0) return 'no allowed algorithm for this key';
  return { kid: jwk.kid as string | undefined, jwk: publicMembers(jwk), algorithms };
}
