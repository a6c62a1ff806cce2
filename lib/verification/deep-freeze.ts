/** Freezes a JSON value and everything in it, so claims shared through the cache cannot be edited. */
export function deepFreeze<T>(value: T): T {
  // A work list, not recursion: a validly signed claim may nest deeper than the call stack
  // (JSON.parse itself does not recurse), and jose accepts such tokens.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next !== null && typeof next === 'object' && !Object.isFrozen(next)) {
      Object.freeze(next);
      for (const member of Object.values(next)) pending.push(member);
    }
  }
  return value;
}
