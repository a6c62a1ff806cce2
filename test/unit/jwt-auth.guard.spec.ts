import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { JwtAuthGuard, getVerifiedClaims, resolveAuthOptions, type AccessTokenClaims, type TokenVerifier } from '../../lib/index.js';

// The guard outside plain HTTP: GraphQL over HTTP carries the request in its context object;
// transports with no bearer header (microservices, WebSockets) must fail closed, never pass.

const claims = Object.freeze({ iss: 'https://issuer.example.com', aud: 'https://api.test', exp: 2e9, sub: 'gql-user' }) as AccessTokenClaims;
/** The tokens the guard handed to verification, in order. */
const verified: string[] = [];
const verifier = {
  cached: () => undefined,
  verifyFresh: (token: string) => {
    verified.push(token);
    return claims;
  },
} as unknown as TokenVerifier;
const guard = new JwtAuthGuard(new Reflector(), verifier, resolveAuthOptions({ issuer: 'https://issuer.example.com', audience: 'https://api.test' }));

class ResolverOrController {
  handle(): void {}
}

function contextOf(type: string, args: unknown[]): ExecutionContextHost {
  const context = new ExecutionContextHost(args, ResolverOrController, ResolverOrController.prototype.handle);
  context.setType(type);
  return context;
}

function graphQlRequest(authorization?: string) {
  const rawHeaders = authorization === undefined ? [] : ['Authorization', authorization];
  return { headers: { authorization }, rawHeaders, url: '/graphql', body: { query: '{ me { sub } }' } };
}

function assertUnauthorized(run: () => unknown, code: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof HttpException);
    assert.equal(error.getStatus(), 401);
    assert.equal((error.getResponse() as { code: string }).code, code);
    return true;
  });
}

describe('JwtAuthGuard beyond plain HTTP', () => {
  it('reads the bearer token of a GraphQL request from its context and stores the claims on it', () => {
    const req = graphQlRequest('Bearer abc.def.ghi');
    assert.equal(guard.canActivate(contextOf('graphql', [undefined, {}, { req }, {}])), true);
    assert.deepEqual(verified.splice(0), ['abc.def.ghi']);
    assert.equal(getVerifiedClaims(req), claims);
  });

  it('answers a GraphQL request without a token with 401 and a challenge on its response', () => {
    const headers = new Map<string, string>();
    const res = { setHeader: (name: string, value: string) => headers.set(name, value) };
    assertUnauthorized(() => guard.canActivate(contextOf('graphql', [undefined, {}, { req: graphQlRequest(), res }, {}])), 'auth.authorization_header_missing');
    assert.equal(headers.get('WWW-Authenticate'), 'Bearer realm="api"');
    assert.deepEqual(verified.splice(0), []);
  });

  for (const type of ['rpc', 'ws']) {
    it(`fails closed on a ${type} context, which carries no bearer header`, () => {
      assertUnauthorized(() => guard.canActivate(contextOf(type, [{ pattern: 'orders' }, {}])), 'auth.context_unsupported');
      assert.deepEqual(verified.splice(0), []);
    });
  }
});
