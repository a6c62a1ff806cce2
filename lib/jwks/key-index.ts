import type { VerificationKey } from './verification-key.js';

/**
 * An immutable, indexed key set: lookups by (`kid`, `alg`) are one map read.
 * A key is only ever bound to one algorithm, so a token can never pick how its key is used.
 */
export class KeyIndex {
  private readonly byKidAndAlg = new Map<string, VerificationKey[]>();
  private readonly byAlg = new Map<string, VerificationKey[]>();
  private readonly byIdentity = new Map<string, VerificationKey>();

  constructor(keys: readonly VerificationKey[]) {
    for (const key of keys) {
      if (this.byIdentity.has(key.identity)) continue; // the same key listed twice is one key
      this.byIdentity.set(key.identity, key);
      if (key.kid !== undefined) push(this.byKidAndAlg, `${key.alg} ${key.kid}`, key);
      push(this.byAlg, key.alg, key);
    }
  }

  get size(): number {
    return this.byIdentity.size;
  }

  /**
   * The one key that may verify a token with this header, or undefined when none or
   * several match: an ambiguous key set never lets the token choose.
   */
  select(kid: string | undefined, alg: string): VerificationKey | undefined {
    const candidates = kid === undefined ? this.byAlg.get(alg) : this.byKidAndAlg.get(`${alg} ${kid}`);
    return candidates?.length === 1 ? candidates[0] : undefined;
  }

  /** True while `key` is still published; cached verifications by a retired key are dropped. */
  has(key: VerificationKey): boolean {
    return this.byIdentity.get(key.identity) === key;
  }

  /** The already imported key with this identity, so unchanged keys keep their cache entries. */
  find(identity: string): VerificationKey | undefined {
    return this.byIdentity.get(identity);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
