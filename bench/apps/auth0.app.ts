import { Controller, Get, Module, Req, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { auth, UnauthorizedError } from 'express-oauth2-jwt-bearer';
import type { ServerConfig } from '../protocol.js';

interface ErrorResponse {
  status(code: number): ErrorResponse;
  set(headers: Record<string, string>): ErrorResponse;
  json(body: unknown): void;
}

interface Auth0Request {
  auth: { payload: { sub?: string } };
}

@Controller()
class MeController {
  @Get('me')
  me(@Req() request: Auth0Request) {
    return { sub: request.auth.payload.sub };
  }
}

@Module({ controllers: [MeController] })
class Auth0AppModule {}

/** `express-oauth2-jwt-bearer` mounted as Express middleware in front of every Nest route. */
export async function createAuth0App(config: ServerConfig): Promise<INestApplication> {
  const app = await NestFactory.create(Auth0AppModule, { logger: ['error'] });
  app.use(
    auth({
      issuerBaseURL: config.issuer,
      audience: config.audience,
      ...(config.jwksCooldownMs === undefined ? {} : { cooldownDuration: config.jwksCooldownMs }),
    }),
  );
  // Nest's exception handler would turn the library's 401s into 500s; this is the small
  // Express error handler its README points to: the error's status and WWW-Authenticate.
  // Four parameters: that is how Express tells error middleware apart.
  app.use((error: unknown, _request: unknown, response: ErrorResponse, next: (error: unknown) => void) => {
    if (!(error instanceof UnauthorizedError)) return next(error);
    response.status(error.status).set(error.headers).json({ message: error.message });
  });
  return app;
}
