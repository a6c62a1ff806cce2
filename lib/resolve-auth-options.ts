import { DEFAULT_ALGORITHMS, type AuthModuleOptions, type ResolvedAuthOptions, type TokenCacheOptions } from './auth-options.js';
import { assertIssuerUrl } from './discovery/issuer-url.js';
import { AuthConfigurationError } from './errors/auth.errors.js';

const QUOTABLE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function fail(message: string): never {
  throw new AuthConfigurationError(message);
}

function nonNegative(name: string, value: number | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    fail(`"${name}" must be a non-negative ${integer ? 'integer' : 'number'}; got ${String(value)}.`);
  }
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const result = nonNegative(name, value, fallback);
  if (result === 0) fail(`"${name}" must be greater than 0.`);
  return result;
}

function resolveAlgorithms(algorithms: string[] | undefined): Set<string> {
  if (algorithms === undefined) return new Set(DEFAULT_ALGORITHMS);
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    fail(`"algorithms" must be a non-empty array, e.g. ['RS256', 'ES256'].`);
  }
  const supported = new Set<string>(DEFAULT_ALGORITHMS);
  const unsupported = algorithms.filter((alg) => !supported.has(alg));
  if (unsupported.length > 0) {
    fail(
      `"algorithms" lists ${unsupported.map((a) => JSON.stringify(a)).join(', ')}, which this package refuses or does not know. ` +
        `Use asymmetric algorithms only: ${DEFAULT_ALGORITHMS.join(', ')}. ` +
        '"none" and HS* are refused because anyone who knows the public key could forge tokens.',
    );
  }
  return new Set(algorithms);
}

function resolveAudience(audience: string | string[]): string[] {
  const list = typeof audience === 'string' ? [audience] : audience;
  if (!Array.isArray(list) || list.length === 0 || list.some((a) => typeof a !== 'string' || a === '')) {
    fail(`"audience" is required: the API identifier your issuer puts in "aud" (a string, or an array of strings).`);
  }
  return [...list];
}

function resolveDiscoveryUrls(issuer: string, discoveryUrl: string | undefined): string[] {
  if (discoveryUrl !== undefined) return [assertIssuerUrl('discoveryUrl', discoveryUrl).href];
  const base = issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
  const origin = new URL(issuer);
  const path = origin.pathname === '/' ? '' : origin.pathname.replace(/\/$/, '');
  return [
    `${base}/.well-known/openid-configuration`,
    // RFC 8414 §3.1 inserts the well-known segment between host and path.
    `${origin.origin}/.well-known/oauth-authorization-server${path}`,
  ];
}

function resolveTokenCache(tokenCache: TokenCacheOptions | false | undefined): Required<TokenCacheOptions> | false {
  if (tokenCache === false) return false;
  if (tokenCache !== undefined && (typeof tokenCache !== 'object' || tokenCache === null)) {
    fail(`"tokenCache" must be false or an object like { maxEntries: 10000, ttl: 300000 }.`);
  }
  return {
    maxEntries: positive('tokenCache.maxEntries', tokenCache?.maxEntries, 10_000),
    ttl: positive('tokenCache.ttl', tokenCache?.ttl, 300_000),
  };
}

/**
 * Validates user options once, at module initialisation, and fills in defaults.
 * Every message says what to change.
 */
export function resolveAuthOptions(options: AuthModuleOptions): ResolvedAuthOptions {
  if (options === null || typeof options !== 'object') {
    fail('AuthModule needs options: AuthModule.forRoot({ issuer, audience }).');
  }
  if (typeof options.issuer !== 'string' || options.issuer === '') {
    fail(`"issuer" is required: the exact "iss" value of your tokens, e.g. 'https://tenant.logto.app/oidc'.`);
  }
  assertIssuerUrl('issuer', options.issuer);
  const realm = options.realm ?? 'api';
  if (typeof realm !== 'string' || !QUOTABLE.test(realm)) {
    fail(`"realm" must be printable ASCII without quotes or backslashes; got ${JSON.stringify(realm)}.`);
  }
  const requiredClaims = options.requiredClaims ?? [];
  if (!Array.isArray(requiredClaims) || requiredClaims.some((c) => typeof c !== 'string' || c === '')) {
    fail(`"requiredClaims" must be an array of claim names, e.g. ['sub'].`);
  }
  if (options.tokenType !== undefined && (typeof options.tokenType !== 'string' || options.tokenType === '')) {
    fail(`"tokenType" must be a media type such as 'at+jwt', or left unset.`);
  }
  return {
    issuer: options.issuer,
    audience: resolveAudience(options.audience),
    algorithms: resolveAlgorithms(options.algorithms),
    clockTolerance: nonNegative('clockTolerance', options.clockTolerance, 5, false),
    jwksUri: options.jwksUri === undefined ? undefined : assertIssuerUrl('jwksUri', options.jwksUri).href,
    discoveryUrls: resolveDiscoveryUrls(options.issuer, options.discoveryUrl),
    requiredClaims: [...requiredClaims],
    tokenType: options.tokenType,
    realm,
    maxTokenLength: positive('maxTokenLength', options.maxTokenLength, 8192),
    jwksCacheMaxAge: positive('jwksCacheMaxAge', options.jwksCacheMaxAge, 600_000),
    jwksCooldown: nonNegative('jwksCooldown', options.jwksCooldown, 30_000),
    fetchTimeout: positive('fetchTimeout', options.fetchTimeout, 3000),
    tokenCache: resolveTokenCache(options.tokenCache),
  };
}
