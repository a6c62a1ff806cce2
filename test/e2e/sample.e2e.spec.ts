import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestIssuer } from '../../lib/testing/index.js';
import { startSample, type SampleProcess } from '../fixtures/oidc-sample-process.js';

const BOOT_TIMEOUT_MS = 20_000;
const API_LINE = /Sample API on (http:\/\/127\.0\.0\.1:\d+)/;
const ME_CURL = /curl -H "Authorization: Bearer ([\w-]+\.[\w-]+\.[\w-]+)" (http:\/\/127\.0\.0\.1:\d+)\/me\n/;
const TOKEN_CURL = /curl -s -u ([^:\s]+):(\S+) -d grant_type=client_credentials -d resource=(\S+) (http:\/\/127\.0\.0\.1:\d+\/token)\n/;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const withToken = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

describe('the sample with its embedded dev issuer (AUTH_ISSUER unset)', () => {
  let sample: SampleProcess;
  let token: string;
  let apiUrl: string;

  before(async () => {
    sample = startSample({ PORT: '0' });
    [, token, apiUrl] = await sample.waitFor(ME_CURL, BOOT_TIMEOUT_MS);
  });
  after(async () => {
    await sample?.stop();
  });

  it('accepts the printed token on /me and answers with its claims', async () => {
    const answer = await call(`${apiUrl}/me`, withToken(token));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.sub, 'sample-client');
    assert.equal(answer.body.aud, 'https://api.sample.test');
    assert.equal(typeof answer.body.iss, 'string');
  });

  it('answers 401 on /me without a token', async () => {
    const answer = await call(`${apiUrl}/me`);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, 'auth.authorization_header_missing');
  });

  it('serves /public without a token', async () => {
    assert.deepEqual(await call(`${apiUrl}/public`), { status: 200, body: { ok: true } });
  });

  it('prints a token request that works', async () => {
    const [, clientId, clientSecret, resource, tokenEndpoint] = await sample.waitFor(TOKEN_CURL, BOOT_TIMEOUT_MS);
    const issued = await call(tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource }),
    });
    assert.equal(issued.status, 200);
    assert.equal(typeof issued.body.access_token, 'string');
    assert.equal((await call(`${apiUrl}/me`, withToken(issued.body.access_token as string))).status, 200);
  });

  // Last: Nest's shutdown hooks close the API and the dev issuer, then re-raise the signal.
  // A hang would end in SIGKILL after 5 s.
  it('exits on SIGTERM', async () => {
    const exit = await sample.stop();
    assert.equal(exit.signal, 'SIGTERM');
  });
});

describe('the sample against a configured issuer (AUTH_ISSUER set)', () => {
  const audience = 'https://api.configured.test';
  let issuer: TestIssuer;
  let sample: SampleProcess;
  let apiUrl: string;

  before(async () => {
    issuer = await TestIssuer.start({ audience });
    sample = startSample({ PORT: '0', AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: audience });
    [, apiUrl] = await sample.waitFor(API_LINE, BOOT_TIMEOUT_MS);
  });
  after(async () => {
    await sample?.stop();
    await issuer?.stop();
  });

  it("accepts the configured issuer's token on /me", async () => {
    const answer = await call(`${apiUrl}/me`, withToken(await issuer.sign({ sub: 'alice' })));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.sub, 'alice');
    assert.equal(answer.body.iss, issuer.issuer);
  });

  it('refuses a token for another audience', async () => {
    const answer = await call(`${apiUrl}/me`, withToken(await issuer.sign({ aud: 'https://api.sample.test' })));
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, 'auth.token_audience_invalid');
  });

  // oidc-provider warns on import (Node 20), which the sample does only to start the dev issuer.
  it('starts no dev issuer', () => {
    assert.doesNotMatch(sample.output(), /dev issuer|oidc-provider|curl/);
  });
});

describe('the sample with AUTH_ISSUER but no AUTH_AUDIENCE', () => {
  it('exits with status 1 and says which variable to set', async () => {
    const sample = startSample({ PORT: '0', AUTH_ISSUER: 'http://127.0.0.1:9/issuer' });
    try {
      const exit = await Promise.race([
        sample.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the sample kept running')), BOOT_TIMEOUT_MS).unref()),
      ]);
      assert.equal(exit.code, 1);
      assert.match(sample.output(), /AUTH_AUDIENCE is required when AUTH_ISSUER is set/);
    } finally {
      await sample.stop();
    }
  });
});
