import type { VerificationKey } from './verification-key.js';

/**
 * An immutable, indexed key set: lookups by (`kid`, `alg`) are one map read.
 * A key is only ever bound to one algorithm, so a token can never pick how its key is used.
 */
export class KeyIndex {
  // alg → kid → keys: two reads of strings the header memo keeps, whose hashes V8 has cached,
  // where one "alg kid" key would be a fresh string to build and hash for every token.
  private readonly byAlgAndKid = new Map<string, Map<string, VerificationKey[]>>();
  private readonly byAlg = new Map<string, VerificationKey[]>();
  private readonly byIdentity = new Map<string, VerificationKey>();

  constructor(keys: readonly VerificationKey[]) {
    for (const key of keys) {
      if (this.byIdentity.has(key.identity)) continue; // the same key listed twice is one key
      this.byIdentity.set(key.identity, key);
      if (key.kid !== undefined) {
        let byKid = this.byAlgAndKid.get(key.alg);
        if (byKid === undefined) this.byAlgAndKid.set(key.alg, (byKid = new Map()));
        push(byKid, key.kid, key);
      }
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
    const candidates = kid === undefined ? this.byAlg.get(alg) : this.byAlgAndKid.get(alg)?.get(kid);
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
