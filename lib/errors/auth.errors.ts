/**
 * Every failure this package reports is an `AuthError` with a stable `code`.
 * `status` and `bearerError` say how the guard answers it (RFC 6750 §3);
 * `message` is a fixed, token-free sentence that is safe to send to the client.
 * The original exception, when there is one, is kept in `cause` for server-side
 * debugging only and never leaves the process.
 */
export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 403 | 503,
    readonly bearerError?: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 401 without an `error` parameter: the request carried no bearer credentials at all. */
export class MissingCredentialsError extends AuthError {
  constructor(code: 'auth.authorization_header_missing' | 'auth.authorization_token_type_not_supported', message: string) {
    super(code, message, 401);
  }
}

/** 400 `invalid_request`: the request is malformed (RFC 6750 §3.1). */
export class InvalidRequestError extends AuthError {
  constructor(code: string, message: string) {
    super(code, message, 400, 'invalid_request');
  }
}

/** 401 `invalid_token`: the token is malformed, forged, expired or meant for someone else. */
export class InvalidTokenError extends AuthError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 401, 'invalid_token', options);
  }
}

/** 403 `insufficient_scope`: the token is valid but lacks a scope this route requires. */
export class InsufficientScopeError extends AuthError {
  constructor(readonly requiredScopes: readonly string[]) {
    super('auth.insufficient_scope', 'The access token lacks a required scope', 403, 'insufficient_scope');
  }
}

/**
 * 503: the issuer's metadata or keys cannot be had and no usable key is cached.
 * `retryAfterSeconds` is when the next fetch attempt is due (sent as `Retry-After`).
 */
export class IssuerUnavailableError extends AuthError {
  constructor(readonly retryAfterSeconds: number, options?: { cause?: unknown }) {
    super('auth.issuer_unavailable', 'The token issuer is unavailable; try again shortly', 503, undefined, options);
  }
}

/** Thrown at startup for options that cannot work; the message says how to fix them. */
export class AuthConfigurationError extends Error {
  readonly code = 'auth.configuration_invalid';
  constructor(message: string) {
    super(`nestjs-oidc-bearer: ${message}`);
    this.name = 'AuthConfigurationError';
  }
}
