import { Module } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from './auth.constants.js';
import { resolveAuthOptions } from './resolve-auth-options.js';
import { AUTH_MODULE_OPTIONS, ConfigurableAuthModule } from './auth.module-definition.js';
import { OidcDiscoveryService } from './discovery/oidc-discovery.service.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { JwksProvider } from './jwks/jwks.provider.js';
import { TokenVerifier } from './verification/token-verifier.service.js';

/**
 * Protects a Nest app with OAuth 2.0 / OpenID Connect bearer access tokens.
 *
 * @example
 * AuthModule.forRoot({ issuer: 'https://issuer.example.com', audience: 'https://api.example.com' })
 *
 * @example
 * AuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     issuer: config.getOrThrow('AUTH_ISSUER'),
 *     audience: config.getOrThrow('AUTH_AUDIENCE'),
 *   }),
 * })
 */
@Module({
  providers: [
    { provide: RESOLVED_AUTH_OPTIONS, useFactory: resolveAuthOptions, inject: [AUTH_MODULE_OPTIONS] },
    OidcDiscoveryService,
    JwksProvider,
    TokenVerifier,
    JwtAuthGuard,
  ],
  exports: [RESOLVED_AUTH_OPTIONS, OidcDiscoveryService, JwksProvider, TokenVerifier, JwtAuthGuard],
})
export class AuthModule extends ConfigurableAuthModule {}
