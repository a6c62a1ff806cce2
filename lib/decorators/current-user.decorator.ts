import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getHttpRequest } from '../http/request-from-context.js';
import { getVerifiedClaims } from '../verification/verified-claims.store.js';

/**
 * Injects the verified access-token claims, or one claim by name. `undefined` on public
 * routes, where no token was verified.
 *
 * @example
 * @Get('me')
 * me(@CurrentUser() user: AccessTokenClaims, @CurrentUser('sub') sub: string) {}
 */
export const CurrentUser = createParamDecorator((claim: string | undefined, context: ExecutionContext): unknown => {
  const request = getHttpRequest(context);
  const claims = request === undefined ? undefined : getVerifiedClaims(request);
  return claim === undefined ? claims : claims?.[claim];
});
