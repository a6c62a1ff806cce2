import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JWTPayload } from 'jose';
import { InvalidTokenError, resolveAuthOptions } from '../../lib/index.js';
import { checkClaims } from '../../lib/verification/claims-policy.js';

// checkClaims with the clock given explicitly, so every boundary is exact.

const NOW = 1_800_000_000;
const TOLERANCE = 5;
const issuer = 'https://issuer.example/tenant';
const options = resolveAuthOptions({
  issuer,
  audience: ['https://api.example', 'urn:api:second'],
  clockTolerance: TOLERANCE,
  requiredClaims: ['sub'],
});
const valid: JWTPayload = { iss: issuer, aud: 'https://api.example', sub: 'alice', iat: NOW - 10, exp: NOW + 60 };

interface Row {
  readonly name: string;
  /** Claims to merge into `valid`; `undefined` removes one. */
  readonly claims: Record<string, unknown>;
  /** The failure code, or `undefined` when the claims pass. */
  readonly refusal?: string;
}

const EXPIRED = 'auth.token_expired';
const NOT_YET = 'auth.token_not_yet_valid';
const MISSING = 'auth.token_claim_missing';
const INVALID = 'auth.token_claim_invalid';
const ISSUER = 'auth.token_issuer_invalid';
const AUDIENCE = 'auth.token_audience_invalid';

const rows: Row[] = [
  { name: 'valid claims', claims: {} },
  // exp: expired once now >= exp + tolerance (jose's rule)
  { name: 'exp one second inside the tolerance', claims: { exp: NOW - TOLERANCE + 1 }, refusal: undefined },
  { name: 'exp exactly at the tolerance', claims: { exp: NOW - TOLERANCE }, refusal: EXPIRED },
  { name: 'exp one second beyond the tolerance', claims: { exp: NOW - TOLERANCE - 1 }, refusal: EXPIRED },
  { name: 'exp 0', claims: { exp: 0 }, refusal: EXPIRED },
  { name: 'a negative exp', claims: { exp: -1 }, refusal: EXPIRED },
  { name: 'a fractional exp just inside', claims: { exp: NOW - TOLERANCE + 0.5 } },
  // nbf: not yet valid once nbf > now + tolerance
  { name: 'nbf exactly at the tolerance', claims: { nbf: NOW + TOLERANCE } },
  { name: 'nbf one second beyond the tolerance', claims: { nbf: NOW + TOLERANCE + 1 }, refusal: NOT_YET },
  { name: 'nbf in the past', claims: { nbf: NOW - 3600 } },
  { name: 'iat in the future (not a validity bound)', claims: { iat: NOW + 3600 } },
  // presence
  { name: 'exp missing', claims: { exp: undefined }, refusal: MISSING },
  { name: 'iss missing', claims: { iss: undefined }, refusal: MISSING },
  { name: 'aud missing', claims: { aud: undefined }, refusal: MISSING },
  { name: 'a required claim (sub) missing', claims: { sub: undefined }, refusal: MISSING },
  { name: 'a required claim present but null', claims: { sub: null } },
  // numeric dates must be numbers
  ...['exp', 'nbf', 'iat'].flatMap((name) =>
    [String(NOW + 60), null, true, [NOW + 60], { value: NOW + 60 }].map((value) => ({ name: `${name} ${JSON.stringify(value)}`, claims: { [name]: value }, refusal: INVALID })),
  ),
  // iss: exact match
  { name: 'iss with a trailing slash', claims: { iss: `${issuer}/` }, refusal: ISSUER },
  { name: 'iss a prefix', claims: { iss: issuer.slice(0, -1) }, refusal: ISSUER },
  { name: 'iss a superstring', claims: { iss: `${issuer}x` }, refusal: ISSUER },
  { name: 'iss in another case', claims: { iss: issuer.toUpperCase() }, refusal: ISSUER },
  { name: 'iss an array', claims: { iss: [issuer] }, refusal: ISSUER },
  { name: 'iss null', claims: { iss: null }, refusal: ISSUER },
  // aud: one exact match among strings
  { name: 'aud the second accepted audience', claims: { aud: 'urn:api:second' } },
  { name: 'aud an array containing an accepted audience', claims: { aud: ['urn:other', 'urn:api:second'] } },
  { name: 'aud a superstring', claims: { aud: 'https://api.example.evil' }, refusal: AUDIENCE },
  { name: 'aud a prefix', claims: { aud: 'https://api.exampl' }, refusal: AUDIENCE },
  { name: 'aud an empty array', claims: { aud: [] }, refusal: AUDIENCE },
  { name: 'aud an array of others', claims: { aud: ['urn:a', 'urn:b'] }, refusal: AUDIENCE },
  { name: 'aud a nested array', claims: { aud: [['https://api.example']] }, refusal: AUDIENCE },
  { name: 'aud an object', claims: { aud: { 'https://api.example': true } }, refusal: AUDIENCE },
  { name: 'aud null', claims: { aud: null }, refusal: AUDIENCE },
  // which failure is reported when several apply: jose's order
  { name: 'a missing required claim before a wrong issuer', claims: { sub: undefined, iss: 'x' }, refusal: MISSING },
  { name: 'a wrong issuer before a wrong audience', claims: { iss: 'x', aud: 'y' }, refusal: ISSUER },
  { name: 'a wrong audience before an expiry', claims: { aud: 'y', exp: 1 }, refusal: AUDIENCE },
  { name: 'a mistyped iat before an expiry', claims: { iat: 'x', exp: 1 }, refusal: INVALID },
  { name: 'nbf before exp', claims: { nbf: NOW + 3600, exp: 1 }, refusal: NOT_YET },
];

function claimsOf(row: Row): JWTPayload {
  const claims: Record<string, unknown> = { ...valid, ...row.claims };
  for (const [name, value] of Object.entries(row.claims)) if (value === undefined) delete claims[name];
  return claims as JWTPayload;
}

describe('checkClaims (now = 1800000000, tolerance 5 s, requiredClaims [sub])', () => {
  for (const row of rows) {
    it(`${row.refusal === undefined ? 'passes' : 'refuses'} ${row.name}`, () => {
      const check = (): void => checkClaims(claimsOf(row), options, NOW);
      if (row.refusal === undefined) assert.doesNotThrow(check);
      else assert.throws(check, (error) => error instanceof InvalidTokenError && error.code === row.refusal);
    });
  }

  it('does not mistake inherited properties for claims', () => {
    const inherited = Object.assign(Object.create({ sub: 'alice', exp: NOW + 60 }) as JWTPayload, { iss: issuer, aud: 'https://api.example' });
    assert.throws(() => checkClaims(inherited, options, NOW), { code: MISSING });
  });
});
