import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProtectedHeaderParameters } from 'jose';
import { InvalidTokenError, resolveAuthOptions, type AuthModuleOptions } from '../../lib/index.js';
import { checkHeader } from '../../lib/verification/header-policy.js';

const base: AuthModuleOptions = { issuer: 'https://issuer.example', audience: 'https://api.example' };
const lenient = resolveAuthOptions(base);
const strict = resolveAuthOptions({ ...base, tokenType: 'at+jwt' });
const rsOnly = resolveAuthOptions({ ...base, algorithms: ['RS256'] });

interface Row {
  readonly name: string;
  readonly header: Record<string, unknown>;
  readonly options?: typeof lenient;
  /** The `code` of the refusal, or `undefined` when the header passes. */
  readonly refusal?: string;
}

const ALGORITHM = 'auth.token_algorithm_not_allowed';
const HEADER = 'auth.token_header_unsupported';
const TYPE = 'auth.token_type_invalid';

const rows: Row[] = [
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'].map((alg) => ({ name: `alg ${alg}`, header: { alg } })),
  ...['none', 'None', 'NONE', 'HS256', 'HS384', 'HS512', 'ES256K', 'RSA-OAEP', 'dir', 'rs256', 'RS256 ', '', 'toString', '__proto__'].map((alg) => ({
    name: `alg ${JSON.stringify(alg)}`,
    header: { alg },
    refusal: ALGORITHM,
  })),
  ...[undefined, null, 256, ['RS256'], { alg: 'RS256' }].map((alg) => ({ name: `alg ${JSON.stringify(alg) ?? 'absent'}`, header: { alg }, refusal: ALGORITHM })),
  { name: 'an allowed algorithm outside `algorithms`', header: { alg: 'ES256' }, options: rsOnly, refusal: ALGORITHM },
  { name: 'a string kid', header: { alg: 'RS256', kid: '../../etc/passwd' } },
  ...[42, null, {}, ['k'], true].map((kid) => ({ name: `kid ${JSON.stringify(kid)}`, header: { alg: 'RS256', kid }, refusal: HEADER })),
  { name: 'crit', header: { alg: 'RS256', crit: ['exp'] }, refusal: HEADER },
  { name: 'an empty crit', header: { alg: 'RS256', crit: [] }, refusal: HEADER },
  { name: 'b64 false', header: { alg: 'RS256', b64: false }, refusal: HEADER },
  { name: 'b64 true (still an extension no access token uses)', header: { alg: 'RS256', b64: true }, refusal: HEADER },
  { name: 'jku, x5u, jwk and x5c (never read)', header: { alg: 'RS256', jku: 'https://evil', x5u: 'https://evil', jwk: { kty: 'oct' }, x5c: ['MII'] } },
  { name: 'cty JWT (never unwrapped)', header: { alg: 'RS256', cty: 'JWT' } },
  // typ without tokenType
  ...[undefined, 'JWT', 'jwt', 'at+jwt', 'AT+JWT', 'application/at+jwt', 'application/JWT'].map((typ) => ({
    name: `typ ${JSON.stringify(typ) ?? 'absent'}`,
    header: { alg: 'RS256', typ },
  })),
  ...['id_token+jwt', 'logout+jwt', 'secevent+jwt', 'dpop+jwt', 'JOSE', 'application/', '', 'at+jwt ', 'application/application/at+jwt'].map((typ) => ({
    name: `typ ${JSON.stringify(typ)}`,
    header: { alg: 'RS256', typ },
    refusal: TYPE,
  })),
  ...[null, 1, ['JWT']].map((typ) => ({ name: `typ ${JSON.stringify(typ)}`, header: { alg: 'RS256', typ }, refusal: TYPE })),
  // typ with tokenType 'at+jwt'
  ...['at+jwt', 'AT+JWT', 'application/at+jwt', 'APPLICATION/AT+JWT'].map((typ) => ({ name: `typ ${typ} (strict)`, header: { alg: 'RS256', typ }, options: strict })),
  ...[undefined, 'JWT', 'application/jwt', 'at+jwt;v=1', 'jwt+at', 42].map((typ) => ({
    name: `typ ${JSON.stringify(typ) ?? 'absent'} (strict)`,
    header: { alg: 'RS256', typ },
    options: strict,
    refusal: TYPE,
  })),
];

describe('checkHeader', () => {
  for (const row of rows) {
    it(`${row.refusal === undefined ? 'passes' : 'refuses'} ${row.name}`, () => {
      const check = (): void => checkHeader(row.header as ProtectedHeaderParameters, row.options ?? lenient);
      if (row.refusal === undefined) assert.doesNotThrow(check);
      else assert.throws(check, (error) => error instanceof InvalidTokenError && error.code === row.refusal);
    });
  }

  it('checks alg before anything else, so an unknown alg is never reported as another fault', () => {
    assert.throws(() => checkHeader({ alg: 'none', kid: 42, crit: ['x'], typ: 'x' } as unknown as ProtectedHeaderParameters, strict), { code: ALGORITHM });
  });
});
