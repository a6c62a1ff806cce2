import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { ServerConfig } from '../protocol.js';
import { RequestUserController } from './request-user.controller.js';

/** The usual recipe: `@nestjs/passport` + `passport-jwt` + `jwks-rsa`, RS256, issuer and audience checked. */
export function createPassportApp(config: ServerConfig): Promise<INestApplication> {
  @Injectable()
  class JwtStrategy extends PassportStrategy(Strategy) {
    constructor() {
      super({
        secretOrKeyProvider: passportJwtSecret({ jwksUri: `${config.issuer}/jwks`, cache: true, rateLimit: true }),
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        algorithms: ['RS256'],
        issuer: config.issuer,
        audience: config.audience,
      });
    }

    validate(payload: { sub: string }): { sub: string } {
      return payload;
    }
  }

  @Module({
    imports: [PassportModule],
    controllers: [RequestUserController],
    providers: [JwtStrategy, { provide: APP_GUARD, useClass: AuthGuard('jwt') }],
  })
  class PassportAppModule {}
  return NestFactory.create(PassportAppModule, { logger: ['error'] });
}
