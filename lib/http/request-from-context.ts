import type { ExecutionContext } from '@nestjs/common';

interface GraphQlContext {
  req?: object;
  res?: object;
}

/**
 * The HTTP request behind any execution context: plain HTTP, or GraphQL over HTTP
 * (whose context object carries `req`). Other transports have no bearer header and
 * yield `undefined`, which callers must treat as "not authenticated".
 */
export function getHttpRequest(context: ExecutionContext): object | undefined {
  switch (context.getType<string>()) {
    case 'http':
      // args[0] is what switchToHttp().getRequest() returns, without Nest re-assigning three
      // closures onto the context object on every call (this runs on every request).
      return context.getArgByIndex<object>(0);
    case 'graphql':
      return context.getArgByIndex<GraphQlContext | undefined>(2)?.req;
    default:
      return undefined;
  }
}

/** The HTTP response (Express `Response` or Fastify `Reply`) behind an execution context, if any. */
export function getHttpResponse(context: ExecutionContext): object | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return context.getArgByIndex<object>(1);
    case 'graphql': {
      const graphQl = context.getArgByIndex<GraphQlContext | undefined>(2);
      return graphQl?.res ?? (graphQl?.req as { res?: object } | undefined)?.res;
    }
    default:
      return undefined;
  }
}
