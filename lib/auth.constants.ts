/** Metadata key written by `@Public()`. */
export const IS_PUBLIC_KEY = 'nestjs-oidc-bearer:public';

/** Metadata key written by `@RequiredScopes()`. */
export const REQUIRED_SCOPES_KEY = 'nestjs-oidc-bearer:required-scopes';

/** Injection token of the validated, defaulted options (`ResolvedAuthOptions`). */
export const RESOLVED_AUTH_OPTIONS = Symbol('nestjs-oidc-bearer:resolved-options');
