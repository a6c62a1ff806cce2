import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, type JWK, type JWTPayload } from 'jose';
import { LoopbackServer } from './loopback-server.js';
import { generateKeyGeneration, type TestIssuerAlgorithm, type TestSigningKey } from './test-issuer-keys.js';

/** How a `TestIssuer` misbehaves after `fail()`. */
export type TestIssuerFailure = 'error' | 'garbage' | 'hang' | 'down';

export interface TestIssuerOptions {
  /** The default `aud` of signed tokens. @default 'https://api.test' */
  audience?: string | string[];
  /** A fixed port, e.g. to restart an issuer where an app expects it. @default an ephemeral port */
  port?: number;
  /**
   * Where the discovery document is served; the other well-known path answers 404.
   * `'oauth-authorization-server'` mimics an RFC 8414-only authorization server.
   * @default 'openid-configuration'
   */
  wellKnown?: TestIssuerWellKnown;
}

/** The well-known discovery paths: OpenID Connect Discovery 1.0 and RFC 8414. */
export type TestIssuerWellKnown = 'openid-configuration' | 'oauth-authorization-server';

export interface TestSignOptions {
  /** @default 'RS256' */
  alg?: TestIssuerAlgorithm;
  /** Sign with the keys that were current before the last `rotateKeys()` (0 = current). @default 0 */
  generation?: number;
  /** Protected-header members to add or override (`typ`, `kid`, …). */
  header?: Record<string, unknown>;
}

/** How many times each endpoint was asked for, failures included. */
export interface TestIssuerRequests {
  /** Requests for either well-known discovery path, 404s included. */
  discovery: number;
  jwks: number;
}

/**
 * A real OpenID issuer on loopback for end-to-end tests: a discovery document, a JWKS
 * with RS256, ES256 and EdDSA keys, token minting, key rotation and outage injection.
 *
 * @example
 * const issuer = await TestIssuer.start({ audience: 'https://api.test' });
 * // in the app under test: AuthModule.forRoot({ issuer: issuer.issuer, audience: 'https://api.test' })
 * const token = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
 * await issuer.stop();
 */
export class TestIssuer {
  private generations: ReadonlyMap<TestIssuerAlgorithm, TestSigningKey>[] = [];
  private published = 1;
  private failure?: TestIssuerFailure;
  private server!: LoopbackServer;
  private metadataOverrides: Record<string, unknown> = {};
  private jwksOverride?: unknown;
  private readonly counts: TestIssuerRequests = { discovery: 0, jwks: 0 };

  private constructor(
    private readonly audience: string | string[],
    private readonly wellKnown: TestIssuerWellKnown,
  ) {}

  /** Starts an issuer on 127.0.0.1 with a fresh key for each algorithm. */
  static async start(options: TestIssuerOptions = {}): Promise<TestIssuer> {
    const issuer = new TestIssuer(options.audience ?? 'https://api.test', options.wellKnown ?? 'openid-configuration');
    issuer.generations = [await generateKeyGeneration()];
    issuer.server = await LoopbackServer.listen(options.port ?? 0, (request, response) => issuer.handle(request, response));
    return issuer;
  }

  /** The issuer identifier: pass it as `issuer` to `AuthModule.forRoot()`. */
  get issuer(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  get jwksUri(): string {
    return `${this.issuer}/jwks`;
  }

  /** A snapshot of how often discovery and the JWKS were fetched. */
  get requests(): TestIssuerRequests {
    return { ...this.counts };
  }

  /** The public JWKS as currently served. */
  get jwks(): { keys: JWK[] } {
    return { keys: this.generations.slice(0, this.published).flatMap((generation) => [...generation.values()].map((key) => key.publicJwk)) };
  }

  /**
   * A signed compact JWT. Defaults: `iss`, `aud`, `sub: 'test-user'`, `iat` now, `exp` in
   * one hour, a random `jti`, header `typ: 'at+jwt'` and the key's `kid`. Any claim can be
   * overridden, or removed by passing `undefined`.
   */
  async sign(claims: Record<string, unknown> = {}, options: TestSignOptions = {}): Promise<string> {
    const key = this.key(options.alg ?? 'RS256', options.generation ?? 0);
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = { iss: this.issuer, aud: this.audience, sub: 'test-user', iat: now, exp: now + 3600, jti: randomUUID(), ...claims };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    const header = { alg: key.alg, typ: 'at+jwt', kid: key.kid, ...options.header };
    return new SignJWT(payload as JWTPayload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
  }

  /**
   * Replaces every key with a new one (new `kid`s). The old private keys stay available to
   * `sign({ }, { generation: 1 })`; with `keepPrevious` the old public keys stay published too.
   */
  async rotateKeys(options: { keepPrevious?: boolean } = {}): Promise<void> {
    this.generations = [await generateKeyGeneration(), ...this.generations];
    this.published = options.keepPrevious ? 2 : 1;
  }

  /** Serves this document instead of the real JWKS (e.g. with hostile members); `undefined` restores it. */
  setJwks(document: unknown): void {
    this.jwksOverride = document;
  }

  /** Merges these members into the discovery document (e.g. a different `issuer`). */
  setMetadata(overrides: Record<string, unknown>): void {
    this.metadataOverrides = overrides;
  }

  /** Starts failing: 500s, non-JSON bodies, requests that never answer, or no listener at all. */
  async fail(mode: TestIssuerFailure): Promise<void> {
    await this.recover();
    this.failure = mode;
    if (mode === 'down') await this.server.close();
  }

  /** Back to normal service on the same port. */
  async recover(): Promise<void> {
    const wasDown = this.failure === 'down';
    this.failure = undefined;
    this.server.release();
    if (wasDown) await this.server.reopen();
  }

  async stop(): Promise<void> {
    this.failure = undefined;
    await this.server.close();
  }

  private key(alg: TestIssuerAlgorithm, generation: number): TestSigningKey {
    const key = this.generations[generation]?.get(alg);
    if (key === undefined) throw new RangeError(`TestIssuer has no ${alg} key of generation ${generation}`);
    return key;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', this.issuer).pathname;
    const wellKnown = /^\/\.well-known\/(openid-configuration|oauth-authorization-server)$/.exec(path)?.[1];
    const isDiscovery = wellKnown !== undefined;
    if (isDiscovery) this.counts.discovery += 1;
    else if (path === '/jwks') this.counts.jwks += 1;
    else return void response.writeHead(404).end();
    switch (this.failure) {
      case 'error':
        return void response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      case 'garbage':
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [garbage');
      case 'hang':
        return this.server.hold(response);
    }
    if (isDiscovery && wellKnown !== this.wellKnown) return void response.writeHead(404).end();
    const body = isDiscovery
      ? { issuer: this.issuer, jwks_uri: this.jwksUri, id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'], ...this.metadataOverrides }
      : (this.jwksOverride ?? this.jwks);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
