import { SetMetadata } from '@nestjs/common';
import { REQUIRED_SCOPES_KEY } from '../auth.constants.js';

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ); also keeps the challenge header legal.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Requires every listed scope (from the `scope` or `scp` claim); a valid token without
 * them gets 403 `insufficient_scope`. Handler metadata wins over class metadata.
 *
 * @example
 * @RequiredScopes('orders:write')
 * @Post('orders')
 * create() {}
 */
export function RequiredScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  const invalid = scopes.find((scope) => !SCOPE_TOKEN.test(scope));
  if (invalid !== undefined) {
    throw new TypeError(`@RequiredScopes(): ${JSON.stringify(invalid)} is not a valid scope name (RFC 6749 §3.3)`);
  }
  return SetMetadata(REQUIRED_SCOPES_KEY, Object.freeze([...scopes]));
}
