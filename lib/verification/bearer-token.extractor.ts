import { IncomingMessage } from 'node:http';
import { InvalidRequestError, MissingCredentialsError } from '../errors/auth.errors.js';
import { tokenError } from '../errors/token-errors.js';

/** The request shapes of Express (an `IncomingMessage`) and Fastify (`raw` holds it). */
export interface HttpRequestLike {
  readonly raw?: IncomingMessage;
  readonly headers?: IncomingMessage['headers'];
  readonly rawHeaders?: IncomingMessage['rawHeaders'];
  readonly url?: string;
  readonly body?: unknown;
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 7235 §2.1: the scheme is case-insensitive. Matched at the start of the value, so no
// slice of it is made, and RFC 6750's own spelling skips the regular expression.
const BEARER_PREFIX = /^bearer/i;

function isBearerScheme(value: string, schemeEnd: number): boolean {
  return schemeEnd === 6 && (value.startsWith('Bearer') || BEARER_PREFIX.test(value));
}

function duplicated(): InvalidRequestError {
  return new InvalidRequestError('auth.authorization_header_duplicated', 'Send exactly one Authorization header');
}

/**
 * The Node message under a request: Express's request is one; Fastify's holds it in `raw`.
 * Property reads on a live Express request cost ~0.3 µs each in a loaded server (every request
 * has a hidden class of its own), and `raw` is absent there, a walk up the prototype chain:
 * `instanceof` compares prototypes instead.
 */
function messageOf(request: HttpRequestLike): HttpRequestLike {
  return request instanceof IncomingMessage ? request : (request.raw ?? request);
}

/** The message's one `Authorization` value, or undefined; a repeated header throws. */
function authorizationHeader(message: HttpRequestLike): string | undefined {
  // Node keeps only the first of repeated Authorization headers in `headers`, so the raw list
  // is read. (`headersDistinct` would too, but builds an array for every header of every request.)
  const raw = message.rawHeaders;
  if (raw === undefined) {
    const single = message.headers?.authorization;
    return typeof single === 'string' ? single : undefined;
  }
  let found: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      // Checked before emptiness: an empty header next to a real one is still two headers.
      if (found !== undefined) throw duplicated();
      found = raw[i + 1];
    }
  }
  return found;
}

function hasTokenElsewhere(message: HttpRequestLike, body: unknown): boolean {
  const url = message.url ?? '';
  const query = url.indexOf('?');
  // Parse only a query that names access_token or holds a percent-escape (`%61ccess_token` is the same name).
  const mayHoldToken = query !== -1 && (url.includes('access_token', query) || url.includes('%', query));
  if (mayHoldToken && new URLSearchParams(url.slice(query + 1)).has('access_token')) {
    return true;
  }
  return typeof body === 'object' && body !== null && Object.hasOwn(body, 'access_token');
}

const neverSeen = (): boolean => false;

/**
 * Reads the bearer token of a request as RFC 6750 §2.1 defines it: one `Authorization`
 * header, scheme `Bearer` in any case, then exactly one b64token. Tokens in the query
 * string or body are never accepted (they leak into logs), and sending one there as well
 * as in the header is refused as a second method (§2).
 *
 * `knownWellFormed` names strings already known to be b64tokens (tokens the verified-token
 * cache holds): the grammar scan was half of a cache hit's cost, and a client that reuses its
 * token would otherwise pay it on every request for the same answer.
 */
export function extractBearerToken(request: HttpRequestLike, maxTokenLength: number, knownWellFormed: (token: string) => boolean = neverSeen): string {
  const message = messageOf(request);
  const value = authorizationHeader(message);
  if (value === undefined || value.trim() === '') {
    throw new MissingCredentialsError('auth.authorization_header_missing', 'Authorization header is missing');
  }
  // The size cap comes before any parsing, so no regular expression ever sees a huge input.
  if (value.length > maxTokenLength + 64) throw tokenError('tooLarge');
  const space = value.indexOf(' ');
  if (!isBearerScheme(value, space === -1 ? value.length : space)) {
    throw new MissingCredentialsError('auth.authorization_token_type_not_supported', 'Only the Bearer authorization scheme is supported');
  }
  let start = space + 1;
  while (value.charCodeAt(start) === 0x20) start += 1; // 1*SP between scheme and token
  const token = space === -1 ? '' : value.slice(start);
  if (!knownWellFormed(token) && !B64TOKEN.test(token)) {
    throw new InvalidRequestError('auth.authorization_token_invalid_format', 'Expected "Authorization: Bearer <token>" with one token');
  }
  if (token.length > maxTokenLength) throw tokenError('tooLarge');
  // The parsed body is the framework's: on Fastify's request, not on the Node message.
  if (hasTokenElsewhere(message, request.body)) {
    throw new InvalidRequestError('auth.authorization_multiple_methods', 'Send the access token in the Authorization header only');
  }
  return token;
}
