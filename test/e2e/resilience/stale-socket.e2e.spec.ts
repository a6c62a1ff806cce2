import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { AuthModule } from '../../../lib/index.js';
import { IssuerFetchError, fetchJson } from '../../../lib/http/fetch-json.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { eventually, timed } from '../../fixtures/eventually.js';
import { bearer, get, startApp } from '../../fixtures/test-app.js';

const audience = 'https://api.test';

/** A JSON server whose answer to the n-th request (1-based) is decided by the test. */
interface ScriptedServer {
  readonly url: string;
  readonly requests: number;
  readonly connections: number;
  close(): Promise<void>;
}

async function scriptedServer(answer: (n: number, request: IncomingMessage, response: ServerResponse) => void): Promise<ScriptedServer> {
  let requests = 0;
  let connections = 0;
  const server: Server = createServer((request, response) => answer(++requests, request, response));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const ok = (response: ServerResponse): void => void response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
/** What a keep-alive socket closed by the server looks like to the client that reuses it. */
const dropSocket = (request: IncomingMessage): void => void request.socket.destroy();

describe('fetchJson and stale keep-alive sockets', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries once, on a fresh connection, when the reused socket was closed by the issuer (3 requests, 2 connections)', async () => {
    server = await scriptedServer((n, request, response) => (n === 2 ? dropSocket(request) : ok(response)));
    await fetchJson(server.url, 1000);
    assert.deepEqual(await fetchJson(server.url, 1000), { keys: [] });
    assert.equal(server.requests, 3);
    assert.equal(server.connections, 2);
  });

  it('does not retry twice: two dropped sockets in a row fail as unreachable', async () => {
    server = await scriptedServer((_n, request) => dropSocket(request));
    await assert.rejects(fetchJson(server.url, 1000), (error: unknown) => {
      assert.ok(error instanceof IssuerFetchError);
      assert.equal(error.unreachable, true);
      return true;
    });
    assert.equal(server.requests, 2);
  });

  it('does not retry an HTTP error answer (1 request)', async () => {
    server = await scriptedServer((_n, _request, response) => void response.writeHead(500).end());
    await assert.rejects(fetchJson(server.url, 1000), /HTTP 500/);
    assert.equal(server.requests, 1);
  });

  it('keeps one deadline across the retry: dropped at 700 ms + a hanging retry fail within fetchTimeout (1,000 ms), not 1,700', async () => {
    server = await scriptedServer((n, request) => {
      if (n === 1) setTimeout(() => dropSocket(request), 700);
      // the retry never answers
    });
    const { ms } = await timed(() => assert.rejects(fetchJson(server!.url, 1000), /timed out after 1000 ms/));
    assert.equal(server.requests, 2, 'the retry was made');
    assert.ok(ms < 1400, `failed after ${Math.round(ms)} ms`);
  });
});

describe('restarting the issuer on the same port', () => {
  it('costs no failed fetch: the first JWKS fetch after fail("down") + recover() succeeds', async () => {
    const cooldown = 300;
    const issuer = await TestIssuer.start({ audience });
    const auth = AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: cooldown, fetchTimeout: 500 });
    const app = await startApp('express', [auth], [MeController]);
    try {
      await eventually(() => assert.equal(issuer.requests.jwks, 1), { timeoutMs: 3000 });
      await issuer.fail('down');
      await issuer.recover();
      await issuer.rotateKeys();
      await sleep(cooldown); // the next unknown kid may refetch
      const answer = await get(app, '/me', bearer(await issuer.sign()));
      assert.equal(answer.status, 200, 'the very first token with the new kid passes');
      assert.equal(issuer.requests.jwks, 2);
    } finally {
      await app.close();
      await issuer.stop();
    }
  });

  it('recovers from a hanging issuer at once: the released socket is retried, not counted as a failure', async () => {
    const issuer = await TestIssuer.start({ audience });
    try {
      await issuer.fail('hang');
      const pending = fetchJson(issuer.jwksUri, 5000);
      await eventually(() => assert.equal(issuer.requests.jwks, 1), { timeoutMs: 2000 });
      await issuer.recover(); // drops the held response's socket
      assert.deepEqual(await pending, issuer.jwks);
      assert.equal(issuer.requests.jwks, 2);
    } finally {
      await issuer.stop();
    }
  });
});
