import { InvalidTokenError } from './auth.errors.js';

/**
 * The catalogue of `invalid_token` failures. Each entry is a stable `code`
 * and a fixed description; both are safe to show a client.
 */
export const TOKEN_FAILURES = {
  malformed: ['auth.token_malformed', 'The access token is not a well-formed signed JWT'],
  tooLarge: ['auth.token_too_large', 'The access token is larger than this API accepts'],
  algorithm: ['auth.token_algorithm_not_allowed', 'The access token is signed with an algorithm this API does not accept'],
  header: ['auth.token_header_unsupported', 'The access token uses a header this API does not accept'],
  keyNotFound: ['auth.token_key_not_found', 'The access token is signed by a key the issuer does not publish'],
  signature: ['auth.token_signature_invalid', 'The access token signature is invalid'],
  expired: ['auth.token_expired', 'The access token expired'],
  notYetValid: ['auth.token_not_yet_valid', 'The access token is not valid yet'],
  issuer: ['auth.token_issuer_invalid', 'The access token was issued by another issuer'],
  audience: ['auth.token_audience_invalid', 'The access token is meant for another audience'],
  claimMissing: ['auth.token_claim_missing', 'The access token lacks a required claim'],
  claimInvalid: ['auth.token_claim_invalid', 'The access token has a claim of the wrong type'],
  type: ['auth.token_type_invalid', 'The token is not an access token of the expected type'],
} as const satisfies Record<string, readonly [string, string]>;

export type TokenFailure = keyof typeof TOKEN_FAILURES;

/** Builds the `InvalidTokenError` for one catalogue entry. */
export function tokenError(failure: TokenFailure, cause?: unknown): InvalidTokenError {
  const [code, message] = TOKEN_FAILURES[failure];
  return new InvalidTokenError(code, message, cause === undefined ? undefined : { cause });
}
