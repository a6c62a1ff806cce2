/** The parts of an OpenID Provider / RFC 8414 metadata document this package relies on. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly [member: string]: unknown;
}
