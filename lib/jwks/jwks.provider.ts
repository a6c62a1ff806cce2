import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RESOLVED_AUTH_OPTIONS } from '../auth.constants.js';
import type { ResolvedAuthOptions } from '../auth-options.js';
import { OidcDiscoveryService } from '../discovery/oidc-discovery.service.js';
import { fetchJson } from '../http/fetch-json.js';
import { buildKeyIndex } from './build-key-index.js';
import type { KeyIndex } from './key-index.js';
import type { VerificationKey } from './verification-key.js';

/**
 * First retry delay while no key set was ever loaded; doubles up to `jwksCooldown`.
 * Background retries never come sooner than this, whatever the cooldown.
 */
const FIRST_RETRY_MS = 500;

/**
 * The issuer's signing keys, kept in memory and refreshed with care:
 * - prefetched in the background at boot, retried with back-off (500 ms doubling up to
 *   `jwksCooldown`) until it works;
 * - refreshed in the background once older than `jwksCacheMaxAge`;
 * - refetched for an unknown `kid` at most once per `jwksCooldown`, whether fetches
 *   succeed or fail, with concurrent callers sharing one fetch;
 * - the last good key set is kept when a refresh fails (stale-if-error).
 *
 * @example
 * const key = jwks.select('kid-1', 'RS256') ?? (await jwks.refreshIfAllowed(), jwks.select('kid-1', 'RS256'));
 */
@Injectable()
export class JwksProvider implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('nestjs-oidc-bearer');
  private keys?: KeyIndex;
  private fetchedAt = 0;
  private attemptedAt = -Infinity;
  private failures = 0;
  private inflight?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly discovery: OidcDiscoveryService,
  ) {}

  onModuleInit(): void {
    // Never awaited: the app boots whether or not the issuer answers.
    void this.refresh();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  /** True once a key set has been loaded (it may be stale). */
  get ready(): boolean {
    return this.keys !== undefined;
  }

  /**
   * The key for a token header, from memory, without waiting. Starts a background
   * refresh when the key set is older than `jwksCacheMaxAge`.
   */
  select(kid: string | undefined, alg: string): VerificationKey | undefined {
    const keys = this.keys;
    if (keys !== undefined && Date.now() - this.fetchedAt > this.options.jwksCacheMaxAge) void this.refreshIfAllowed();
    return keys?.select(kid, alg);
  }

  /** True while `key` is still in the published key set. */
  isCurrent(key: VerificationKey): boolean {
    return this.keys?.has(key) ?? false;
  }

  /**
   * Fetches the key set again unless one fetch is already running (then joins it) or the
   * last attempt is too recent (then returns `undefined` at once). Never rejects.
   */
  refreshIfAllowed(): Promise<void> | undefined {
    if (this.inflight !== undefined) return this.inflight;
    if (Date.now() - this.attemptedAt < this.minimumGap()) return undefined;
    return this.refresh();
  }

  /** Whole seconds until the next fetch may start (at least 1): what a 503 tells clients to wait. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.attemptedAt + this.minimumGap() - Date.now()) / 1000));
  }

  private minimumGap(): number {
    if (this.keys !== undefined) return this.options.jwksCooldown;
    return Math.min(this.options.jwksCooldown, FIRST_RETRY_MS * 2 ** Math.max(0, this.failures - 1));
  }

  private refresh(): Promise<void> {
    this.attemptedAt = Date.now();
    clearTimeout(this.retryTimer);
    const run = this.load().then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        this.failures += 1;
        // A fetch that outlived app.close() is no news to anyone: stay silent and schedule nothing.
        if (this.stopped) return;
        const stale = this.keys === undefined ? 'no keys cached yet' : 'keeping the last good key set';
        this.logger.warn(`Loading the issuer's signing keys failed (${(error as Error).message}); ${stale}`);
        if (this.keys === undefined) this.scheduleRetry();
      },
    );
    this.inflight = run.finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private scheduleRetry(): void {
    // The timer is the retry itself, not a request for one: timers may fire a millisecond early
    // by `Date.now()`, and a retry refused by the gap check would never be scheduled again.
    // Any refresh started meanwhile clears this timer, so when it fires none has run since.
    // The floor keeps a zero `jwksCooldown` from spinning against an issuer that is down.
    const delay = Math.max(FIRST_RETRY_MS, this.minimumGap());
    this.retryTimer = setTimeout(() => void this.refresh(), delay);
    this.retryTimer.unref();
  }

  private async load(): Promise<void> {
    const uri = await this.discovery.getJwksUri();
    const document = await fetchJson(uri, this.options.fetchTimeout);
    const { index, refused } = await buildKeyIndex(document, this.options.algorithms, this.keys);
    for (const reason of refused) this.logger.warn(`Ignoring a JWKS member from ${uri}: ${reason}`);
    if (index.size === 0) throw new Error(`the JWKS at ${uri} has no usable signing key`);
    this.keys = index;
    this.fetchedAt = Date.now();
  }
}
