import type { VerificationKey } from '../jwks/verification-key.js';
import type { AccessTokenClaims } from './access-token-claims.js';

interface Entry {
  readonly claims: AccessTokenClaims;
  readonly key: VerificationKey;
  /** Epoch ms after which the entry must not be served: the token's `exp` or the TTL, whichever is first. */
  readonly expiresAt: number;
}

/**
 * A bounded LRU of tokens that passed full verification, keyed by the exact token string.
 * Only successes are stored. A hit is served only while the token is unexpired (with the
 * clock tolerance), younger than the TTL, and its key is still published — so it returns
 * exactly what a fresh verification would.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttl: number,
    private readonly clockToleranceSeconds: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string, now: number, isCurrent: (key: VerificationKey) => boolean): AccessTokenClaims | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (now >= entry.expiresAt || !isCurrent(entry.key)) return undefined;
    this.entries.set(token, entry); // most recently used goes last
    return entry.claims;
  }

  set(token: string, claims: AccessTokenClaims, key: VerificationKey, now: number): void {
    // jose treats a token as expired once floor(now / 1000) >= exp + tolerance.
    const validUntil = Math.ceil(claims.exp + this.clockToleranceSeconds) * 1000;
    // Map.set keeps an existing key in its old place; a token stored again (two concurrent
    // first requests) must become the most recently used, not the next one evicted.
    this.entries.delete(token);
    this.entries.set(token, { claims, key, expiresAt: Math.min(validUntil, now + this.ttl) });
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}
