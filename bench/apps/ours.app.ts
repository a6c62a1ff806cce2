import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule, CurrentUser, type AccessTokenClaims } from '../../lib/index.js';
import type { ServerConfig } from '../protocol.js';

@Controller()
class MeController {
  @Get('me')
  me(@CurrentUser() user: AccessTokenClaims) {
    return { sub: user.sub };
  }
}

/** This module as a user would set it up: `forRoot` with the global guard, discovery, defaults. */
export function createOursApp(config: ServerConfig): Promise<INestApplication> {
  @Module({
    imports: [
      AuthModule.forRoot({
        issuer: config.issuer,
        audience: config.audience,
        ...(config.tokenCache ? {} : { tokenCache: false }),
        ...(config.jwksCooldownMs === undefined ? {} : { jwksCooldown: config.jwksCooldownMs }),
      }),
    ],
    controllers: [MeController],
  })
  class OursModule {}
  return NestFactory.create(OursModule, { logger: ['error'] });
}
