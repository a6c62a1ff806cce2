import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY, REQUIRED_SCOPES_KEY } from '../auth.constants.js';

/** What the decorators say about one route: open or not, and the scopes it needs. */
export interface RouteAuth {
  readonly isPublic: boolean;
  readonly requiredScopes: readonly string[];
}

/**
 * Reads `@Public()` and `@RequiredScopes()` for a route, handler metadata winning over class
 * metadata, once per (controller, handler) pair: decorator metadata is fixed by the time
 * requests arrive, and the guard runs on every one of them.
 */
export class RouteAuthReader {
  private readonly byClass = new WeakMap<object, WeakMap<object, RouteAuth>>();

  constructor(private readonly reflector: Reflector) {}

  read(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    const controller = context.getClass();
    let routes = this.byClass.get(controller);
    if (routes === undefined) this.byClass.set(controller, (routes = new WeakMap()));
    let route = routes.get(handler);
    if (route === undefined) {
      const targets = [handler, controller];
      route = {
        isPublic: this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
        requiredScopes: this.reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_SCOPES_KEY, targets) ?? [],
      };
      routes.set(handler, route);
    }
    return route;
  }
}
