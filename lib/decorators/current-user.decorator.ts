import { createParamDecorator, type ExecutionContext, type PipeTransform, type Type } from '@nestjs/common';
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
// The type is written out because the inferred one names Nest 12's ParameterDecoratorOptions,
// which Nest 11 lacks: consumers on Nest 11 would get a type error from our .d.ts.
export const CurrentUser: (...claimOrPipes: (string | undefined | PipeTransform | Type<PipeTransform>)[]) => ParameterDecorator =
  createParamDecorator((claim: string | undefined, context: ExecutionContext): unknown => {
    const request = getHttpRequest(context);
    const claims = request === undefined ? undefined : getVerifiedClaims(request);
    return claim === undefined ? claims : claims?.[claim];
  });
