import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants.js';
import type { ResolvedAuthOptions } from '../auth-options.js';
import { AuthConfigurationError } from '../errors/auth.errors.js';
import { IssuerFetchError, fetchJson } from '../http/fetch-json.js';
import { assertIssuerUrl } from './issuer-url.js';
import type { IssuerMetadata } from './issuer-metadata.js';

/**
 * Reads the issuer's discovery document (OpenID Connect Discovery 1.0, falling back to
 * RFC 8414 when the first location answers without one) and checks it: the document must
 * name exactly the configured issuer (§4.3) and a `jwks_uri` that is https or loopback.
 * A good document is kept; a failed read is forgotten, so the next call tries again
 * (callers decide how often — see `JwksProvider`).
 *
 * @example
 * const { jwks_uri } = await discovery.getMetadata();
 */
@Injectable()
export class OidcDiscoveryService {
  private metadata?: Promise<IssuerMetadata>;

  constructor(@Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {}

  /** The validated metadata document; concurrent callers share one request. */
  getMetadata(): Promise<IssuerMetadata> {
    this.metadata ??= this.load().catch((error: unknown) => {
      this.metadata = undefined;
      throw error;
    });
    return this.metadata;
  }

  /** Where the signing keys are: `jwksUri` when configured, otherwise from discovery. */
  async getJwksUri(): Promise<string> {
    return this.options.jwksUri ?? (await this.getMetadata()).jwks_uri;
  }

  private async load(): Promise<IssuerMetadata> {
    let lastError: unknown;
    for (const url of this.options.discoveryUrls) {
      let document: unknown;
      try {
        document = await fetchJson(url, this.options.fetchTimeout);
      } catch (error) {
        lastError = new IssuerFetchError(`discovery at ${url} failed: ${(error as Error).message}`, { cause: error });
        // No answer at all (timeout, refused): every location is on the issuer's host, so trying
        // the next one would only make each waiting request wait another `fetchTimeout`.
        if (error instanceof IssuerFetchError && error.unreachable) break;
        continue; // answered, but not served here: try the next well-known location
      }
      // A document that is served but wrong is an answer, not an outage: never fall through.
      return this.validate(document, url);
    }
    throw lastError;
  }

  private validate(document: unknown, url: string): IssuerMetadata {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new IssuerFetchError(`discovery at ${url} is not a JSON object`);
    }
    const { issuer, jwks_uri } = document as Record<string, unknown>;
    if (issuer !== this.options.issuer) {
      throw new IssuerFetchError(
        `discovery at ${url} names issuer ${JSON.stringify(String(issuer)).slice(0, 200)}, ` +
          `not the configured ${JSON.stringify(this.options.issuer)}; tokens are refused until they match exactly ` +
          '(check for a trailing slash or a different tenant path)',
      );
    }
    if (typeof jwks_uri !== 'string') throw new IssuerFetchError(`discovery at ${url} has no "jwks_uri"`);
    try {
      assertIssuerUrl('jwks_uri', jwks_uri);
    } catch (error) {
      throw new IssuerFetchError((error as AuthConfigurationError).message);
    }
    return document as IssuerMetadata;
  }
}
