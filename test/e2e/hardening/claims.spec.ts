import { after, before, describe, it } from 'node:test';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { accepted, checkToken, invalidToken, type Expectation } from '../../fixtures/forge-expect.js';
import { PLATFORMS, startApp, type TestApp } from '../../fixtures/test-app.js';

// Claims of correctly signed tokens (RFC 7519 §4.1, RFC 9068 §4): time is controlled through
// the claims themselves; the apps run with the default 5 s clock tolerance.

const audience = 'https://api.test';
const TOLERANCE = 5;

/** The default app also requires `jti` and `sub`; the strict one requires `typ: at+jwt` (RFC 9068 §2.1). */
type AppName = 'default' | 'strict';

interface ClaimRow {
  readonly name: string;
  readonly app: AppName;
  readonly make: (issuer: TestIssuer) => Promise<string>;
  readonly expect: Expectation;
}

const now = (): number => Math.floor(Date.now() / 1000);
const expired = invalidToken('auth.token_expired');
const claimMissing = invalidToken('auth.token_claim_missing');
const claimInvalid = invalidToken('auth.token_claim_invalid');
const wrongIssuer = invalidToken('auth.token_issuer_invalid');
const wrongAudience = invalidToken('auth.token_audience_invalid');
const wrongType = invalidToken('auth.token_type_invalid');

/** A default-app row: the issuer's token with these claims (`undefined` removes one). */
const withClaims = (name: string, claims: (issuer: TestIssuer) => Record<string, unknown>, expect: Expectation): ClaimRow => ({
  name,
  app: 'default',
  make: (issuer) => issuer.sign({ sub: 'claims-canary-subject', ...claims(issuer) }),
  expect,
});

/** A row for `app`: the issuer's token with header `typ` (`undefined` removes it). */
const withType = (app: AppName, typ: unknown, expect: Expectation): ClaimRow => ({
  name: `typ ${typ === undefined ? 'absent' : JSON.stringify(typ)}`,
  app,
  make: (issuer) => issuer.sign({ sub: 'typ-canary-subject' }, { header: { typ } }),
  expect,
});

const rows: ClaimRow[] = [
  withClaims('the issuer\'s ordinary claims', () => ({}), accepted),
  // exp / nbf against the clock, with the tolerance
  withClaims('exp long past', () => ({ exp: now() - 3600 }), expired),
  withClaims('exp 1 s beyond the clock tolerance', () => ({ exp: now() - TOLERANCE - 1 }), expired),
  withClaims('exp exactly at the clock tolerance', () => ({ exp: now() - TOLERANCE }), expired),
  withClaims('exp just past, within the clock tolerance', () => ({ exp: now() - 2 }), accepted),
  withClaims('a fractional exp (NumericDate may be non-integer)', () => ({ exp: now() + 60.5 }), accepted),
  withClaims('nbf in the future', () => ({ nbf: now() + 60 }), invalidToken('auth.token_not_yet_valid')),
  withClaims('nbf just ahead, within the clock tolerance', () => ({ nbf: now() + 2 }), accepted),
  withClaims('iat in the future (not a validity bound, as in jose)', () => ({ iat: now() + 3600 }), accepted),
  // presence and types
  withClaims('exp missing', () => ({ exp: undefined }), claimMissing),
  withClaims('exp as a string', () => ({ exp: String(now() + 600) }), claimInvalid),
  withClaims('exp null', () => ({ exp: null }), claimInvalid),
  withClaims('exp true', () => ({ exp: true }), claimInvalid),
  withClaims('exp as an array', () => ({ exp: [now() + 600] }), claimInvalid),
  withClaims('nbf as a string', () => ({ nbf: String(now() - 60) }), claimInvalid),
  withClaims('iat as a string', () => ({ iat: String(now()) }), claimInvalid),
  withClaims('iat null', () => ({ iat: null }), claimInvalid),
  // iss: exact string comparison (RFC 7519 §4.1.1, OIDC Core §3.1.3.7)
  withClaims('another issuer', () => ({ iss: 'https://evil.example' }), wrongIssuer),
  withClaims('the issuer with a trailing slash', (i) => ({ iss: `${i.issuer}/` }), wrongIssuer),
  withClaims('a prefix of the issuer', (i) => ({ iss: i.issuer.slice(0, -1) }), wrongIssuer),
  withClaims('the issuer with a path appended', (i) => ({ iss: `${i.issuer}/evil` }), wrongIssuer),
  withClaims('the issuer in upper case', (i) => ({ iss: i.issuer.toUpperCase() }), wrongIssuer),
  withClaims('the issuer inside an array', (i) => ({ iss: [i.issuer] }), wrongIssuer),
  withClaims('iss missing', () => ({ iss: undefined }), claimMissing),
  withClaims('iss null', () => ({ iss: null }), wrongIssuer),
  // aud: one exact match among strings (RFC 7519 §4.1.3)
  withClaims('another audience', () => ({ aud: 'https://other.api' }), wrongAudience),
  withClaims('a superstring of the audience', () => ({ aud: `${audience}.evil.example` }), wrongAudience),
  withClaims('a prefix of the audience', () => ({ aud: audience.slice(0, -1) }), wrongAudience),
  withClaims('the audience with a trailing slash', () => ({ aud: `${audience}/` }), wrongAudience),
  withClaims('aud missing', () => ({ aud: undefined }), claimMissing),
  withClaims('aud null', () => ({ aud: null }), wrongAudience),
  withClaims('aud an empty array', () => ({ aud: [] }), wrongAudience),
  withClaims('aud an array of other audiences', () => ({ aud: ['https://a.api', 'https://b.api'] }), wrongAudience),
  withClaims('aud an array holding the audience inside another array', () => ({ aud: [[audience]] }), wrongAudience),
  withClaims('aud an array containing the audience', () => ({ aud: ['https://other.api', audience] }), accepted),
  withClaims('aud as an object keyed by the audience', () => ({ aud: { [audience]: true } }), wrongAudience),
  // requiredClaims
  withClaims('a missing required claim (jti)', () => ({ jti: undefined }), claimMissing),
  withClaims('a missing required claim (sub)', () => ({ sub: undefined }), claimMissing),
  // typ without tokenType: absent, JWT or at+jwt; any other kind of JWT is refused
  withType('default', undefined, accepted),
  withType('default', 'JWT', accepted),
  withType('default', 'at+jwt', accepted),
  withType('default', 'application/at+jwt', accepted),
  withType('default', 'id_token+jwt', wrongType),
  withType('default', 'logout+jwt', wrongType),
  withType('default', 'secevent+jwt', wrongType),
  withType('default', 'dpop+jwt', wrongType),
  withType('default', 42, wrongType),
  // typ with tokenType 'at+jwt' (RFC 9068 §4: media type, case-insensitive, "application/" optional)
  withType('strict', 'at+jwt', accepted),
  withType('strict', 'application/at+jwt', accepted),
  withType('strict', 'AT+JWT', accepted),
  withType('strict', 'Application/At+Jwt', accepted),
  withType('strict', 'JWT', wrongType),
  withType('strict', 'jwt', wrongType),
  withType('strict', 'application/jwt', wrongType),
  withType('strict', undefined, wrongType),
  withType('strict', 'at+jwt; charset=utf-8', wrongType),
  withType('strict', 'xat+jwt', wrongType),
  withType('strict', ['at+jwt'], wrongType),
  {
    name: 'an ID token (typ JWT) whose aud is this API',
    app: 'strict',
    make: (issuer) => issuer.sign({ nonce: 'n-0S6_WzA2Mj', azp: 'spa-client' }, { header: { typ: 'JWT' } }),
    expect: wrongType,
  },
  // The testing kit's promise: its tokens are RFC 9068 access tokens, so strict apps can test with them.
  { name: "TestIssuer's default token (typ at+jwt)", app: 'strict', make: (issuer) => issuer.sign(), expect: accepted },
];

describe('hardening: claims and token type', () => {
  let issuer: TestIssuer;
  before(async () => {
    issuer = await TestIssuer.start({ audience });
  });
  after(() => issuer.stop());

  for (const platform of PLATFORMS) {
    describe(`on ${platform}`, () => {
      const apps = new Map<AppName, TestApp>();
      before(async () => {
        const options = { issuer: issuer.issuer, audience };
        apps.set('default', await startApp(platform, [AuthModule.forRoot({ ...options, requiredClaims: ['jti', 'sub'] })], [MeController]));
        apps.set('strict', await startApp(platform, [AuthModule.forRoot({ ...options, tokenType: 'at+jwt' })], [MeController]));
      });
      after(async () => {
        for (const app of apps.values()) await app.close();
      });

      for (const row of rows) {
        const verb = row.expect.status === 200 ? 'accepts' : 'refuses';
        it(`${verb} ${row.name}${row.app === 'strict' ? ' (tokenType at+jwt)' : ''}`, async () =>
          checkToken((apps.get(row.app) as TestApp).url, await row.make(issuer), row.expect));
      }
    });
  }
});
