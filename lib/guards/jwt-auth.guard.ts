import { HttpException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants.js';
import type { ResolvedAuthOptions } from '../auth-options.js';
import { AuthError, InsufficientScopeError, InvalidTokenError, IssuerUnavailableError } from '../errors/auth.errors.js';
import { getHttpRequest, getHttpResponse } from '../http/request-from-context.js';
import { setResponseHeader } from '../http/set-header.js';
import type { AccessTokenClaims } from '../verification/access-token-claims.js';
import { extractBearerToken, type HttpRequestLike } from '../verification/bearer-token.extractor.js';
import { TokenVerifier } from '../verification/token-verifier.service.js';
import { setVerifiedClaims } from '../verification/verified-claims.store.js';
import { bearerChallenge } from './bearer-challenge.js';
import { RouteAuthReader, type RouteAuth } from './route-auth.js';
import { grantedScopes } from './scopes.js';

/**
 * Requires a valid bearer access token on every route that is not `@Public()`.
 * Registered globally by `AuthModule` (unless `globalGuard: false`), or per controller
 * with `@UseGuards(JwtAuthGuard)`. Failures answer per RFC 6750 §3 with a
 * `WWW-Authenticate` challenge and a JSON body `{ statusCode, code, message, error? }`.
 *
 * Subclass it and override `getRequest` / `getResponse` for other transports.
 *
 * @example
 * @UseGuards(JwtAuthGuard)
 * @Controller('orders')
 * export class OrdersController {}
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly routes: RouteAuthReader;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly verifier: TokenVerifier,
    @Inject(RESOLVED_AUTH_OPTIONS) protected readonly options: ResolvedAuthOptions,
  ) {
    this.routes = new RouteAuthReader(reflector);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routes.read(context);
    if (route.isPublic) return true;
    try {
      const request = this.getRequest(context);
      // Fail closed: a transport we cannot read a bearer header from is never let through.
      if (request === undefined) throw new InvalidTokenError('auth.context_unsupported', 'This transport cannot carry a bearer token');
      // One cache lookup serves both the extractor (a hit needs no grammar scan) and verification.
      let hit: AccessTokenClaims | undefined;
      const isCached = (candidate: string): boolean => (hit = this.verifier.cached(candidate)) !== undefined;
      const token = extractBearerToken(request as HttpRequestLike, this.options.maxTokenLength, isCached);
      const claims = hit ?? this.verifier.verifyFresh(token);
      if (claims instanceof Promise) {
        return claims.then((verified) => this.accept(route, request, verified)).catch((error: unknown) => this.reject(context, error));
      }
      return this.accept(route, request, claims);
    } catch (error) {
      return this.reject(context, error);
    }
  }

  /** The request object claims are stored on; `undefined` for unsupported transports. */
  protected getRequest(context: ExecutionContext): object | undefined {
    return getHttpRequest(context);
  }

  /** Where the `WWW-Authenticate` header is written. */
  protected getResponse(context: ExecutionContext): object | undefined {
    return getHttpResponse(context);
  }

  /** Answers a failure; override to answer differently (e.g. a GraphQL error). Must throw. */
  protected throwAuthError(context: ExecutionContext, error: AuthError): never {
    const response = this.getResponse(context);
    const challenge = bearerChallenge(this.options.realm, error);
    if (challenge !== undefined) setResponseHeader(response, 'WWW-Authenticate', challenge);
    if (error instanceof IssuerUnavailableError) setResponseHeader(response, 'Retry-After', String(error.retryAfterSeconds));
    const body = { statusCode: error.status, code: error.code, message: error.message, error: error.bearerError };
    throw new HttpException(body, error.status, { cause: error });
  }

  private accept(route: RouteAuth, request: object, claims: AccessTokenClaims): boolean {
    const required = route.requiredScopes;
    if (required.length > 0) {
      const granted = grantedScopes(claims);
      if (!required.every((scope) => granted.has(scope))) throw new InsufficientScopeError(required);
    }
    setVerifiedClaims(request, claims);
    return true;
  }

  private reject(context: ExecutionContext, error: unknown): never {
    // Anything that is not one of ours (a jose TypeError for an odd key, a bug) is an
    // invalid token, never a 500. Nothing is logged per request: no token or claim can leak.
    const authError =
      error instanceof AuthError ? error : new InvalidTokenError('auth.token_invalid', 'The access token is invalid', { cause: error });
    this.throwAuthError(context, authError);
  }
}
