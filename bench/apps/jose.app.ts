import { Injectable, Module, UnauthorizedException, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { ServerConfig } from '../protocol.js';
import { RequestUserController } from './request-user.controller.js';

interface JoseRequest {
  headers: { authorization?: string };
  user?: JWTPayload;
}

/** The recipe jose's README suggests: `jwtVerify` over `createRemoteJWKSet`, in an async global guard. */
export function createJoseApp(config: ServerConfig): Promise<INestApplication> {
  const keys = createRemoteJWKSet(new URL(`${config.issuer}/jwks`), {
    ...(config.jwksCooldownMs === undefined ? {} : { cooldownDuration: config.jwksCooldownMs }),
  });

  @Injectable()
  class JoseGuard implements CanActivate {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const request = context.switchToHttp().getRequest<JoseRequest>();
      const header = request.headers.authorization;
      if (header === undefined || !header.startsWith('Bearer ')) throw new UnauthorizedException();
      try {
        const { payload } = await jwtVerify(header.slice(7), keys, { issuer: config.issuer, audience: config.audience, algorithms: ['RS256'] });
        request.user = payload;
        return true;
      } catch {
        throw new UnauthorizedException();
      }
    }
  }

  @Module({ controllers: [RequestUserController], providers: [{ provide: APP_GUARD, useClass: JoseGuard }] })
  class JoseAppModule {}
  return NestFactory.create(JoseAppModule, { logger: ['error'] });
}
