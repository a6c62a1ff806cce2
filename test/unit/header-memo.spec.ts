import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { HeaderMemo } from '../../lib/verification/header-memo.js';

function tokenWithHeader(header: object): { token: string; segment: string } {
  const segment = Buffer.from(JSON.stringify(header)).toString('base64url');
  return { token: `${segment}.e30.c2ln`, segment };
}

describe('HeaderMemo', () => {
  it('answers what jose decodes, frozen, and the same object for every token with that header', () => {
    const memo = new HeaderMemo(4);
    const { token, segment } = tokenWithHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' });
    const first = memo.decode(token, segment);
    assert.deepEqual(first, decodeProtectedHeader(token));
    assert.ok(Object.isFrozen(first));
    assert.equal(memo.decode(`${segment}.eyJzdWIiOiJ4In0.c2ln`, segment), first);
  });

  it('keeps at most maxEntries (2) headers, forgetting the oldest first', () => {
    const memo = new HeaderMemo(2);
    const [a, b, c] = ['a', 'b', 'c'].map((kid) => tokenWithHeader({ alg: 'RS256', kid }));
    const first = memo.decode(a!.token, a!.segment);
    memo.decode(b!.token, b!.segment);
    memo.decode(c!.token, c!.segment);
    const again = memo.decode(a!.token, a!.segment);
    assert.deepEqual(again, first);
    assert.notEqual(again, first, 'the oldest header was decoded afresh');
    assert.equal(memo.decode(c!.token, c!.segment), memo.decode(c!.token, c!.segment));
  });

  it('throws on every call for a header jose refuses: a failure is never served from the memo', () => {
    const memo = new HeaderMemo(2);
    const segment = Buffer.from('[1,2]').toString('base64url');
    for (let i = 0; i < 2; i++) assert.throws(() => memo.decode(`${segment}.e30.c2ln`, segment));
  });
});
