import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { IssuerFetchError, fetchJson } from '../../lib/http/fetch-json.js';
import { LoopbackServer } from '../../lib/testing/loopback-server.js';

// How discovery documents and key sets are fetched: what an issuer (or whoever answers in its
// place) can make this package read. Every server here is on 127.0.0.1.

const CAP = 512 * 1024;

interface Served {
  readonly url: string;
  readonly hits: () => number;
}

const servers: LoopbackServer[] = [];

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<Served> {
  let hits = 0;
  const server = await LoopbackServer.listen(0, (request, response) => {
    hits += 1;
    handler(request, response);
  });
  servers.push(server);
  return { url: `http://127.0.0.1:${server.port}/jwks`, hits: () => hits };
}

/** A JSON document of about `bytes` bytes. */
const documentOf = (bytes: number): string => JSON.stringify({ keys: [], padding: 'x'.repeat(bytes - 25) });

describe('fetchJson', () => {
  after(() => Promise.all(servers.map((server) => server.close())));

  it('never follows a redirect: keys come from the configured address or not at all', async () => {
    const elsewhere = await serve((_request, response) => response.end(JSON.stringify({ keys: [] })));
    const redirecting = await serve((_request, response) => response.writeHead(302, { location: elsewhere.url }).end());
    await assert.rejects(fetchJson(redirecting.url, 2000), IssuerFetchError);
    assert.equal(elsewhere.hits(), 0);
  });

  it('reads a document just under the 512 KiB cap', async () => {
    const body = documentOf(CAP - 1024);
    const issuer = await serve((_request, response) => response.end(body));
    assert.deepEqual(((await fetchJson(issuer.url, 5000)) as { keys: unknown[] }).keys, []);
  });

  it('refuses a body over the cap that the server streams without declaring its length', async () => {
    const issuer = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length
      for (let sent = 0; sent <= CAP; sent += 64 * 1024) response.write(' '.repeat(64 * 1024));
      response.end('{}');
    });
    await assert.rejects(fetchJson(issuer.url, 5000), /larger than 524288 bytes/);
  });

  it('refuses a declared length over the cap without waiting for the body', async () => {
    // The body never comes: only the declared length can end this before the deadline.
    const issuer = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(CAP + 1) });
      response.flushHeaders();
    });
    await assert.rejects(fetchJson(issuer.url, 5000), /larger than 524288 bytes/);
  });
});
