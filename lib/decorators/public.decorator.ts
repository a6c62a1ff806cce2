import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../auth.constants.js';

/**
 * Opens a route (on a handler) or every route of a controller (on a class) to requests
 * without a token. Handler metadata wins over class metadata, so `@Public(false)` on a
 * handler protects it again inside a public controller.
 *
 * @example
 * @Public()
 * @Get('health')
 * health() { return { ok: true }; }
 */
export const Public = (isPublic = true): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, isPublic);
