export { AuthModule } from './auth.module.js';
export { AUTH_MODULE_OPTIONS } from './auth.module-definition.js';
export type { AuthModuleExtras, AuthOptionsFactory } from './auth.module-definition.js';
export { IS_PUBLIC_KEY, REQUIRED_SCOPES_KEY, RESOLVED_AUTH_OPTIONS } from './auth.constants.js';
export { DEFAULT_ALGORITHMS } from './auth-options.js';
export { resolveAuthOptions } from './resolve-auth-options.js';
export type { AuthModuleOptions, ResolvedAuthOptions, SupportedAlgorithm, TokenCacheOptions } from './auth-options.js';
export { JwtAuthGuard } from './guards/jwt-auth.guard.js';
export { Public } from './decorators/public.decorator.js';
export { CurrentUser } from './decorators/current-user.decorator.js';
export { RequiredScopes } from './decorators/required-scopes.decorator.js';
export { OidcDiscoveryService } from './discovery/oidc-discovery.service.js';
export type { IssuerMetadata } from './discovery/issuer-metadata.js';
export { JwksProvider } from './jwks/jwks.provider.js';
export type { VerificationKey } from './jwks/verification-key.js';
export { TokenVerifier } from './verification/token-verifier.service.js';
export { getVerifiedClaims } from './verification/verified-claims.store.js';
export type { AccessTokenClaims, RegisteredClaims } from './verification/access-token-claims.js';
export {
  AuthConfigurationError,
  AuthError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  IssuerUnavailableError,
  MissingCredentialsError,
} from './errors/auth.errors.js';
export { TOKEN_FAILURES } from './errors/token-errors.js';
export type { TokenFailure } from './errors/token-errors.js';
