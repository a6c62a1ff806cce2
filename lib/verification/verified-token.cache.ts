import type { VerificationKey } from '../jwks/verification-key.js';
import type { AccessTokenClaims } from './access-token-claims.js';

interface Entry {
  readonly token: string;
  readonly claims: AccessTokenClaims;
  readonly key: VerificationKey;
  /** Epoch ms after which the entry must not be served: the token's `exp` or the TTL, whichever is first. */
  readonly expiresAt: number;
}

// V8 hashes a string key over its whole length, and every request brings a fresh token string:
// ~1 µs for an 800-character token. The last 43 characters are signature (≥ 256 bits for every
// supported algorithm), so they index the map and the whole token is compared on a hit.
const INDEX_LENGTH = 43;

function indexKey(token: string): string {
  return token.length > INDEX_LENGTH ? token.slice(-INDEX_LENGTH) : token;
}

/** Whether an entry may be served at `now`: unexpired (exp or TTL) and its key still published. */
function servable(entry: Entry, now: number, isCurrent: (key: VerificationKey) => boolean): boolean {
  return now < entry.expiresAt && isCurrent(entry.key);
}

/**
 * A bounded LRU of tokens that passed full verification, matched on the exact token string.
 * Only successes are stored. A hit is served only while the token is unexpired (with the
 * clock tolerance), younger than the TTL, and its key is still published — so it returns
 * exactly what a fresh verification would.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * The entry served last, compared before the map is consulted. It is the map's most recently
   * used entry already, so serving it again needs no reordering; and a client that sends one
   * token again and again (a service with its client-credentials token) skips hashing and the
   * map, which cost ~1.4 µs of a ~2 µs hit inside a loaded server.
   */
  private last?: Entry;

  constructor(
    private readonly maxEntries: number,
    private readonly ttl: number,
    private readonly clockToleranceSeconds: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string, now: number, isCurrent: (key: VerificationKey) => boolean): AccessTokenClaims | undefined {
    const last = this.last;
    if (last !== undefined && last.token === token) {
      if (servable(last, now, isCurrent)) return last.claims;
      this.last = undefined; // and the map path below drops the entry
    }
    const index = indexKey(token);
    const entry = this.entries.get(index);
    // Another token with the same tail (a forgery reusing a signature) is a miss, and leaves the entry be.
    if (entry === undefined || entry.token !== token) return undefined;
    this.entries.delete(index);
    if (!servable(entry, now, isCurrent)) return undefined;
    this.entries.set(index, entry); // most recently used goes last
    this.last = entry;
    return entry.claims;
  }

  set(token: string, claims: AccessTokenClaims, key: VerificationKey, now: number): void {
    // jose treats a token as expired once floor(now / 1000) >= exp + tolerance.
    const validUntil = Math.ceil(claims.exp + this.clockToleranceSeconds) * 1000;
    // Map.set keeps an existing key in its old place; a token stored again (two concurrent
    // first requests) must become the most recently used, not the next one evicted.
    const index = indexKey(token);
    this.last = undefined; // no longer the most recently used, and it may be the one replaced or evicted
    this.entries.delete(index);
    this.entries.set(index, { token, claims, key, expiresAt: Math.min(validUntil, now + this.ttl) });
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}
