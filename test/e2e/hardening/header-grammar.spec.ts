import { after, before, describe, it } from 'node:test';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { AuthModule, CurrentUser, type AccessTokenClaims } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { accepted, badRequest, checkRequest, invalidToken, noCredentials, refusedByNode, type Expectation } from '../../fixtures/forge-expect.js';
import { authorization, type RawRequest } from '../../fixtures/forge-request.js';
import { PLATFORMS, startApp, type TestApp } from '../../fixtures/test-app.js';

// RFC 6750 §2.1 header grammar, RFC 7235 credentials syntax and §2's "one method only",
// through the real HTTP stacks: what Node's parser, Express and Fastify hand the guard differs.

const audience = 'https://api.test';

/** `POST /me`: the same protected route, with a body for the "token in the body too" rows. */
@Controller()
class PostMeController {
  @Post('me')
  @HttpCode(200)
  me(@CurrentUser() claims: AccessTokenClaims) {
    return { sub: claims.sub, claims };
  }
}

interface RequestRow {
  readonly name: string;
  readonly make: () => RawRequest;
  readonly expect: Expectation;
}

let token = '';
const bearerLine = (value: string): RawRequest => ({ headers: authorization(value) });
const withBody = (contentType: string, body: string, path = '/me'): RawRequest => ({
  method: 'POST',
  path,
  headers: [...authorization(`Bearer ${token}`), ['Content-Type', contentType]],
  body,
});
const utf8AsLatin1 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const typeNotSupported = noCredentials('auth.authorization_token_type_not_supported');
const invalidFormat = badRequest('auth.authorization_token_invalid_format');
const duplicated = badRequest('auth.authorization_header_duplicated');
const multipleMethods = badRequest('auth.authorization_multiple_methods');

const rows: RequestRow[] = [
  // missing or empty
  { name: 'no Authorization header', make: () => ({}), expect: noCredentials() },
  { name: 'an empty Authorization header', make: () => bearerLine(''), expect: noCredentials() },
  { name: 'an Authorization header of blanks and tabs', make: () => bearerLine('  \t  '), expect: noCredentials() },
  // other schemes get the bare challenge: they are not bearer credentials at all
  { name: 'scheme Basic', make: () => bearerLine('Basic dXNlcjpwYXNzd29yZA=='), expect: typeNotSupported },
  { name: 'scheme Digest', make: () => bearerLine('Digest username="alice", realm="api", nonce="abc", response="def"'), expect: typeNotSupported },
  { name: 'scheme Token', make: () => bearerLine(`Token ${token}`), expect: typeNotSupported },
  { name: 'scheme JWT', make: () => bearerLine(`JWT ${token}`), expect: typeNotSupported },
  { name: 'a bare token without a scheme', make: () => bearerLine(token), expect: typeNotSupported },
  { name: '"Bearer" glued to the token', make: () => bearerLine(`Bearer${token}`), expect: typeNotSupported },
  { name: 'a tab instead of the space after the scheme (RFC 7235: 1*SP)', make: () => bearerLine(`Bearer\t${token}`), expect: typeNotSupported },
  // scheme case (RFC 7235 §2.1: case-insensitive)
  { name: 'scheme "bearer"', make: () => bearerLine(`bearer ${token}`), expect: accepted },
  { name: 'scheme "BEARER"', make: () => bearerLine(`BEARER ${token}`), expect: accepted },
  { name: 'scheme "bEaReR"', make: () => bearerLine(`bEaReR ${token}`), expect: accepted },
  // Bearer without exactly one token
  { name: '"Bearer" and nothing else', make: () => bearerLine('Bearer'), expect: invalidFormat },
  { name: '"Bearer" and trailing blanks (Node trims them)', make: () => bearerLine('Bearer    '), expect: invalidFormat },
  { name: 'a second word after the token', make: () => bearerLine(`Bearer ${token} extra`), expect: invalidFormat },
  { name: 'two tokens', make: () => bearerLine(`Bearer ${token} ${token}`), expect: invalidFormat },
  { name: 'two credentials in one header', make: () => bearerLine(`Bearer ${token}, Bearer ${token}`), expect: invalidFormat },
  { name: 'a trailing comma', make: () => bearerLine(`Bearer ${token},`), expect: invalidFormat },
  { name: 'auth-params instead of a token', make: () => bearerLine('Bearer token="abc", realm="api"'), expect: invalidFormat },
  { name: 'a space inside the token', make: () => bearerLine(`Bearer ${token.slice(0, 20)} ${token.slice(20)}`), expect: invalidFormat },
  // whitespace: several spaces are legal (1*SP); Node strips leading and trailing OWS itself
  { name: 'two spaces after the scheme', make: () => bearerLine(`Bearer  ${token}`), expect: accepted },
  { name: 'leading and trailing spaces', make: () => bearerLine(`   Bearer ${token}   `), expect: accepted },
  { name: 'leading and trailing tabs', make: () => bearerLine(`\tBearer ${token}\t`), expect: accepted },
  { name: 'a tab between the separator space and the token', make: () => bearerLine(`Bearer \t${token}`), expect: invalidFormat },
  // NUL and control characters: Node's parser refuses them before Nest; never a 2xx or a 5xx
  { name: 'a NUL after the token', make: () => bearerLine(`Bearer ${token}\0`), expect: refusedByNode },
  { name: 'a NUL before the token', make: () => bearerLine(`Bearer \0${token}`), expect: refusedByNode },
  { name: 'a NUL inside the token', make: () => bearerLine(`Bearer ${token.slice(0, 30)}\0${token.slice(30)}`), expect: refusedByNode },
  { name: 'a SOH control character', make: () => bearerLine(`Bearer ${token}\x01`), expect: refusedByNode },
  { name: 'a vertical tab as separator', make: () => bearerLine(`Bearer\x0b${token}`), expect: refusedByNode },
  { name: 'a form feed', make: () => bearerLine(`Bearer ${token}\x0c`), expect: refusedByNode },
  { name: 'a bare CR', make: () => bearerLine(`Bearer ${token}\rX`), expect: refusedByNode },
  { name: 'a DEL', make: () => bearerLine(`Bearer ${token}\x7f`), expect: refusedByNode },
  // bytes Node lets through (obs-text) reach the guard, which refuses them as non-b64token
  { name: 'a latin1 byte after the token', make: () => bearerLine(`Bearer ${token}\xe9`), expect: invalidFormat },
  { name: 'UTF-8 in the token', make: () => bearerLine(utf8AsLatin1(`Bearer ${token}ö✓`)), expect: invalidFormat },
  { name: 'a UTF-8 no-break space as separator', make: () => bearerLine(utf8AsLatin1(`Bearer\u00a0${token}`)), expect: typeNotSupported },
  // characters outside b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  { name: 'a "$" in the token', make: () => bearerLine('Bearer abc$def'), expect: invalidFormat },
  { name: 'a quote in the token', make: () => bearerLine('Bearer abc"def'), expect: invalidFormat },
  { name: 'a ";" in the token', make: () => bearerLine('Bearer abc;def'), expect: invalidFormat },
  { name: 'a percent-escape in the token', make: () => bearerLine('Bearer abc%2Edef'), expect: invalidFormat },
  { name: '"=" inside the token', make: () => bearerLine('Bearer abc=def'), expect: invalidFormat },
  { name: 'only "=" signs', make: () => bearerLine('Bearer ===='), expect: invalidFormat },
  { name: 'a JWS JSON serialization as the token', make: () => bearerLine('Bearer {"payload":"e30","signatures":[]}'), expect: invalidFormat },
  { name: 'b64token with "~", "+", "/" and padding (legal grammar, not a JWT)', make: () => bearerLine('Bearer a~b+c/d=='), expect: invalidToken('auth.token_malformed') },
  // sizes: maxTokenLength (8192) is checked before parsing; Node caps all headers at 16 KiB
  { name: 'a token of exactly maxTokenLength', make: () => bearerLine(`Bearer ${'a'.repeat(8192)}`), expect: invalidToken('auth.token_malformed') },
  { name: 'a token one character over maxTokenLength', make: () => bearerLine(`Bearer ${'a'.repeat(8193)}`), expect: invalidToken('auth.token_too_large') },
  { name: 'a 12 KiB header', make: () => bearerLine(`Bearer ${'a'.repeat(12_000)}`), expect: invalidToken('auth.token_too_large') },
  { name: 'a 12 KiB header of spaces and a token', make: () => bearerLine(`Bearer ${' '.repeat(12_000)}${token}`), expect: invalidToken('auth.token_too_large') },
  { name: 'a header over Node\'s 16 KiB limit', make: () => bearerLine(`Bearer ${'a'.repeat(20_000)}`), expect: refusedByNode },
  // more than one Authorization header (fetch would merge them; sent raw here)
  { name: 'the same header twice', make: () => ({ headers: authorization(`Bearer ${token}`, `Bearer ${token}`) }), expect: duplicated },
  { name: 'a valid header and a garbage one', make: () => ({ headers: authorization(`Bearer ${token}`, 'Basic Zm9vOmJhcg==') }), expect: duplicated },
  { name: 'an empty header, then a valid one', make: () => ({ headers: authorization('', `Bearer ${token}`) }), expect: duplicated },
  { name: 'a valid header, then an empty one', make: () => ({ headers: authorization(`Bearer ${token}`, '') }), expect: duplicated },
  {
    name: 'two headers whose names differ in case',
    make: () => ({ headers: [['Authorization', `Bearer ${token}`], ['authorization', `Bearer ${token}`]] }),
    expect: duplicated,
  },
  // RFC 6750 §2: a token in the query or body as well is "more than one method"
  { name: 'the token also in ?access_token=', make: () => ({ path: `/me?access_token=${token}`, headers: authorization(`Bearer ${token}`) }), expect: multipleMethods },
  { name: 'an empty ?access_token= next to the header', make: () => ({ path: '/me?a=1&access_token=', headers: authorization(`Bearer ${token}`) }), expect: multipleMethods },
  {
    name: 'a percent-encoded ?%61ccess_token= next to the header',
    make: () => ({ path: '/me?%61ccess_token=x', headers: authorization(`Bearer ${token}`) }),
    expect: multipleMethods,
  },
  { name: 'the token also in a JSON body', make: () => withBody('application/json', JSON.stringify({ access_token: token })), expect: multipleMethods },
  { name: 'the token also in a form body', make: () => withBody('application/x-www-form-urlencoded', `access_token=${token}`), expect: multipleMethods },
  { name: 'a JSON body without access_token', make: () => withBody('application/json', JSON.stringify({ note: 'hello' })), expect: accepted },
  { name: 'a query parameter that only starts with access_token', make: () => ({ path: '/me?access_token_hint=1', headers: authorization(`Bearer ${token}`) }), expect: accepted },
  // the token only elsewhere: we never read it there, so the request carries no credentials
  { name: 'the token only in ?access_token=', make: () => ({ path: `/me?access_token=${token}` }), expect: noCredentials() },
  {
    name: 'the token only in a form body',
    make: () => ({ method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: `access_token=${token}` }),
    expect: noCredentials(),
  },
];

for (const platform of PLATFORMS) {
  describe(`hardening: Authorization header and request grammar on ${platform}`, () => {
    let issuer: TestIssuer;
    let app: TestApp;

    before(async () => {
      issuer = await TestIssuer.start({ audience });
      app = await startApp(platform, [AuthModule.forRoot({ issuer: issuer.issuer, audience })], [MeController, PostMeController]);
      token = await issuer.sign({ sub: `grammar-${platform}-subject` });
    });
    after(async () => {
      await app.close();
      await issuer.stop();
    });

    for (const row of rows) {
      it(`${row.expect.status === 200 ? 'accepts' : 'refuses'} ${row.name}`, () => checkRequest(app.url, row.make(), row.expect, token));
    }
  });
}
