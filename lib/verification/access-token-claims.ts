/** The registered claims every verified access token carries (RFC 7519, RFC 9068). */
export interface RegisteredClaims {
  readonly iss: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly sub?: string;
  readonly iat?: number;
  readonly nbf?: number;
  readonly jti?: string;
  readonly client_id?: string;
  readonly scope?: string;
  readonly [claim: string]: unknown;
}

/**
 * The verified claims of an access token, with your own claims typed through `T`.
 * The object is frozen: it is shared by every request that presents the same token.
 *
 * @example
 * type Claims = AccessTokenClaims<{ organization_id: string }>;
 * me(@CurrentUser() user: Claims) { return user.organization_id; }
 */
export type AccessTokenClaims<T extends object = object> = RegisteredClaims & Readonly<T>;
