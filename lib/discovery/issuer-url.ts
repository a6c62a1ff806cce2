import { AuthConfigurationError } from '../errors/auth.errors.js';

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Parses an issuer, discovery or JWKS address and requires `https`, except on
 * loopback hosts where plain `http` serves local development and tests.
 */
export function assertIssuerUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AuthConfigurationError(`"${name}" must be an absolute URL; got ${JSON.stringify(value)}.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new AuthConfigurationError(
    `"${name}" must use https (plain http is allowed only for 127.0.0.0/8, ::1 and localhost); got ${JSON.stringify(value)}.`,
  );
}
