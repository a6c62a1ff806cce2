import { KeyIndex } from './key-index.js';
import { importVerificationKey } from './key-import.js';
import { usableJwk } from './key-policy.js';
import type { VerificationKey } from './verification-key.js';

/** What loading a JWKS produced: the usable keys and why the others were left out. */
export interface KeySetLoad {
  readonly index: KeyIndex;
  readonly refused: readonly string[];
}

/**
 * Turns a fetched JWKS document into a `KeyIndex`. Hostile or unusable members are
 * skipped one by one, so a bad key never takes the good ones down with it; keys that
 * are unchanged since `previous` are reused rather than imported again.
 */
export async function buildKeyIndex(
  document: unknown,
  allowed: ReadonlySet<string>,
  previous: KeyIndex | undefined,
): Promise<KeySetLoad> {
  const members = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(members)) throw new TypeError('the JWKS has no "keys" array');
  const keys: VerificationKey[] = [];
  const refused: string[] = [];
  for (const [position, member] of members.entries()) {
    const usable = usableJwk(member, allowed);
    if (typeof usable === 'string') {
      refused.push(`key #${position}: ${usable}`);
      continue;
    }
    for (const alg of usable.algorithms) {
      const identity = `${alg} ${usable.kid ?? ''} ${JSON.stringify(usable.jwk)}`;
      const key = previous?.find(identity) ?? (await importVerificationKey(usable, alg, identity));
      if (typeof key === 'string') refused.push(`key #${position}: ${key}`);
      else keys.push(key);
    }
  }
  return { index: new KeyIndex(keys), refused };
}
