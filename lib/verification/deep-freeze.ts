/** Freezes a JSON value and everything in it, so claims shared through the cache cannot be edited. */
export function deepFreeze<T>(value: T): T {
  if (!isUnfrozenObject(value)) return value;
  // A work list, not recursion: a validly signed claim may nest deeper than the call stack
  // (JSON.parse itself does not recurse), and jose accepts such tokens. Only objects enter it:
  // a claims set is mostly strings and numbers, and this runs on every verification.
  const pending: object[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    Object.freeze(next);
    for (const member of Object.values(next)) if (isUnfrozenObject(member)) pending.push(member);
  }
  return value;
}

function isUnfrozenObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Object.isFrozen(value);
}
