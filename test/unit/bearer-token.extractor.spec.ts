import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError, InvalidRequestError, InvalidTokenError, MissingCredentialsError } from '../../lib/index.js';
import { extractBearerToken, type HttpRequestLike } from '../../lib/verification/bearer-token.extractor.js';

// The extractor on its own, with request objects shaped as Node, Express and Fastify hand them
// over (the HTTP-level behaviour, Node's own parser included, is in test/e2e/hardening).

const MAX = 100;

/** An Express-like request: Node's `headers` (first value only) and `rawHeaders` (every header line, any case). */
function request(values: string[], extra: { url?: string; body?: unknown } = {}): HttpRequestLike {
  return {
    headers: values.length === 0 ? {} : { authorization: values[0] },
    rawHeaders: ['Host', 'api.test', ...values.flatMap((value, i) => [i % 2 === 0 ? 'Authorization' : 'authorization', value])],
    url: extra.url ?? '/me',
    body: extra.body,
  };
}

type ErrorClass = typeof MissingCredentialsError | typeof InvalidRequestError | typeof InvalidTokenError;

interface Row {
  readonly name: string;
  readonly request: HttpRequestLike;
  /** The token returned, or the error class and code thrown. */
  readonly expect: string | readonly [ErrorClass, string];
}

const missing = [MissingCredentialsError, 'auth.authorization_header_missing'] as const;
const notBearer = [MissingCredentialsError, 'auth.authorization_token_type_not_supported'] as const;
const badFormat = [InvalidRequestError, 'auth.authorization_token_invalid_format'] as const;
const duplicated = [InvalidRequestError, 'auth.authorization_header_duplicated'] as const;
const twoMethods = [InvalidRequestError, 'auth.authorization_multiple_methods'] as const;
const tooLarge = [InvalidTokenError, 'auth.token_too_large'] as const;

const rows: Row[] = [
  { name: 'a bearer token', request: request(['Bearer a.b.c']), expect: 'a.b.c' },
  { name: 'every b64token character', request: request(['Bearer AZaz09-._~+/==']), expect: 'AZaz09-._~+/==' },
  { name: 'the scheme in any case', request: request(['bEARER tok']), expect: 'tok' },
  { name: 'several spaces after the scheme', request: request(['Bearer    tok']), expect: 'tok' },
  { name: 'no header', request: request([]), expect: missing },
  { name: 'an empty header', request: request(['']), expect: missing },
  { name: 'a blank header', request: request([' \t ']), expect: missing },
  { name: 'another scheme', request: request(['Basic dXNlcg==']), expect: notBearer },
  { name: 'a scheme that only starts with Bearer', request: request(['Bearerish tok']), expect: notBearer },
  { name: 'another six-letter scheme', request: request(['Digest tok']), expect: notBearer },
  { name: 'a tab after the scheme', request: request(['Bearer\ttok']), expect: notBearer },
  { name: '"Bearer" alone', request: request(['Bearer']), expect: badFormat },
  { name: '"Bearer " and spaces only', request: request(['Bearer   ']), expect: badFormat },
  { name: 'two words', request: request(['Bearer a b']), expect: badFormat },
  { name: 'a trailing space (Node trims it; a proxy might not)', request: request(['Bearer tok ']), expect: badFormat },
  { name: '"=" not at the end', request: request(['Bearer a=b']), expect: badFormat },
  { name: 'only padding', request: request(['Bearer ==']), expect: badFormat },
  { name: 'a NUL', request: request(['Bearer a\u0000b']), expect: badFormat },
  { name: 'a non-ASCII letter', request: request(['Bearer tök']), expect: badFormat },
  { name: 'a line break', request: request(['Bearer a\nb']), expect: badFormat },
  { name: 'two headers', request: request(['Bearer a', 'Bearer b']), expect: duplicated },
  { name: 'an empty header and a real one', request: request(['', 'Bearer a']), expect: duplicated },
  { name: 'a token of exactly maxTokenLength', request: request([`Bearer ${'a'.repeat(MAX)}`]), expect: 'a'.repeat(MAX) },
  { name: 'a token one over maxTokenLength', request: request([`Bearer ${'a'.repeat(MAX + 1)}`]), expect: tooLarge },
  // the cap runs before the grammar, so a huge value is never matched against a pattern
  { name: 'a huge value of non-b64token characters', request: request([`Bearer ${'$'.repeat(MAX + 100)}`]), expect: tooLarge },
  { name: 'a huge value of another scheme', request: request([`Basic ${'a'.repeat(MAX + 100)}`]), expect: tooLarge },
  // RFC 6750 §2: one method only
  { name: 'access_token in the query too', request: request(['Bearer tok'], { url: '/me?access_token=tok' }), expect: twoMethods },
  { name: 'an empty access_token in the query', request: request(['Bearer tok'], { url: '/me?x=1&access_token' }), expect: twoMethods },
  { name: 'a percent-encoded access_token name', request: request(['Bearer tok'], { url: '/me?%61ccess%5Ftoken=tok' }), expect: twoMethods },
  { name: 'access_token only as a value', request: request(['Bearer tok'], { url: '/me?next=access_token' }), expect: 'tok' },
  { name: 'access_token only in the path', request: request(['Bearer tok'], { url: '/access_token?a=%20' }), expect: 'tok' },
  { name: 'a longer parameter name', request: request(['Bearer tok'], { url: '/me?access_tokens=1' }), expect: 'tok' },
  { name: 'access_token in the body too', request: request(['Bearer tok'], { body: { access_token: 'tok' } }), expect: twoMethods },
  {
    name: 'access_token in a null-prototype body',
    request: request(['Bearer tok'], { body: Object.assign(Object.create(null) as object, { access_token: 'x' }) }),
    expect: twoMethods,
  },
  { name: 'a body that merely inherits access_token', request: request(['Bearer tok'], { body: Object.create({ access_token: 'x' }) as object }), expect: 'tok' },
  { name: 'a string body', request: request(['Bearer tok'], { body: 'access_token=tok' }), expect: 'tok' },
  { name: 'the token only in the query', request: request([], { url: '/me?access_token=tok' }), expect: missing },
];

function outcome(row: Row): string | readonly [ErrorClass, string] {
  try {
    return extractBearerToken(row.request, MAX);
  } catch (error) {
    assert.ok(error instanceof AuthError, `threw a non-AuthError: ${String(error)}`);
    return [error.constructor as ErrorClass, error.code];
  }
}

describe('extractBearerToken', () => {
  for (const row of rows) {
    it(`${typeof row.expect === 'string' ? 'reads' : 'refuses'} ${row.name}`, () => {
      assert.deepEqual(outcome(row), row.expect);
    });
  }

  it('reads a Fastify request: headers on `raw`, the parsed body on the request itself', () => {
    const raw = { headers: { authorization: 'Bearer tok' }, rawHeaders: ['AUTHORIZATION', 'Bearer tok'], url: '/me' };
    assert.equal(extractBearerToken({ raw: raw as never, body: { note: 1 } }, MAX), 'tok');
    assert.throws(() => extractBearerToken({ raw: raw as never, body: { access_token: 'tok' } }, MAX), { code: 'auth.authorization_multiple_methods' });
  });

  it('skips only the grammar scan for a string the caller vouches for: every other check still runs', () => {
    const vouched = (token: string): boolean => token === 'tok!';
    assert.throws(() => extractBearerToken(request(['Bearer tok!']), MAX), { code: 'auth.authorization_token_invalid_format' });
    assert.equal(extractBearerToken(request(['Bearer tok!']), MAX, vouched), 'tok!');
    assert.throws(() => extractBearerToken(request(['Bearer tok!', 'Bearer tok!']), MAX, vouched), { code: 'auth.authorization_header_duplicated' });
    assert.throws(() => extractBearerToken(request(['Bearer tok!'], { url: '/me?access_token=x' }), MAX, vouched), {
      code: 'auth.authorization_multiple_methods',
    });
    assert.throws(() => extractBearerToken(request(['Bearer tok!']), 3, vouched), { code: 'auth.token_too_large' });
  });

  it('falls back to `headers` where `rawHeaders` is absent', () => {
    assert.equal(extractBearerToken({ headers: { authorization: 'Bearer tok' } }, MAX), 'tok');
  });
});
