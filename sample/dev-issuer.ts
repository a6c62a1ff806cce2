import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import Provider from 'oidc-provider';
import { SIGNING_ALG_HEADER, devIssuerConfiguration, type DevIssuerClient } from './dev-issuer-config.js';
import { generateDevIssuerKeys, type DevIssuerAlgorithm } from './dev-issuer-keys.js';

export interface DevIssuerOptions {
  /** The `aud` of access tokens when no other resource is requested, e.g. 'https://api.sample.test'. */
  audience: string;
  /** Port on 127.0.0.1. @default an ephemeral port */
  port?: number;
}

export interface DevTokenOptions {
  /** @default 'RS256' */
  alg?: DevIssuerAlgorithm;
  /** The RFC 8707 resource, which becomes `aud`. @default the issuer's `audience` */
  resource?: string;
}

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

const CLIENT_ID = 'sample-client';

/**
 * A real OpenID Provider (oidc-provider) on loopback for development and e2e tests: one
 * client-credentials client, JWT access tokens (RFC 9068) signed with keys generated at start.
 */
class DevIssuer implements DevIssuerClient {
  readonly clientId = CLIENT_ID;
  // Dev-only: a new secret per start, so nothing printed outlives the process.
  readonly clientSecret = randomBytes(24).toString('base64url');
  private provider!: Provider;
  private handler!: RequestHandler;
  private keys: JWK[] = [];

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async start(options: DevIssuerOptions): Promise<DevIssuer> {
    const keys = await generateDevIssuerKeys();
    const server = createServer();
    await listen(server, options.port ?? 0);
    const devIssuer = new DevIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options.audience);
    devIssuer.useKeys(keys);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => devIssuer.handler(request, response));
    return devIssuer;
  }

  get tokenEndpoint(): string {
    return this.provider.urlFor('token');
  }

  get jwksUri(): string {
    return this.provider.urlFor('jwks');
  }

  /** A fresh access token from the token endpoint, by the client-credentials grant. */
  async getToken(options: DevTokenOptions = {}): Promise<string> {
    const credentials = `${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`;
    const response = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
        [SIGNING_ALG_HEADER]: options.alg ?? 'RS256',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: options.resource ?? this.audience }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json()) as { access_token?: unknown; error?: unknown };
    if (!response.ok || typeof body.access_token !== 'string') {
      throw new Error(`The dev issuer refused a token: HTTP ${response.status} ${String(body.error)}`);
    }
    return body.access_token;
  }

  /** An ID token (audience: the client) for `subject`: what an API must never take as an access token. */
  async issueIdToken(subject = 'dev-user'): Promise<string> {
    const client = await this.provider.Client.find(this.clientId);
    if (client === undefined) throw new Error(`The dev issuer lost its client ${this.clientId}`);
    return new this.provider.IdToken({ sub: subject }, { client }).issue({ use: 'idtoken' });
  }

  /**
   * Signs with new keys (new `kid`s) from now on, still publishing the previous ones so tokens
   * already issued stay valid. oidc-provider reads `jwks` only at construction, so a new Provider
   * takes over the same listening socket; requests in flight finish on the old one.
   */
  async rotateKeys(): Promise<void> {
    const fresh = await generateDevIssuerKeys();
    this.useKeys([...fresh, ...this.keys.slice(0, fresh.length)]);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // oidc-provider signs with the first key of an algorithm and publishes them all.
  private useKeys(keys: JWK[]): void {
    this.keys = keys;
    this.provider = new Provider(this.issuer, devIssuerConfiguration(this.audience, this, keys));
    this.handler = this.provider.callback();
  }
}

export type { DevIssuer };

/**
 * Starts the dev issuer on 127.0.0.1.
 *
 * @example
 * const devIssuer = await startDevIssuer({ audience: 'https://api.sample.test' });
 * const token = await devIssuer.getToken({ alg: 'ES256' });
 * await devIssuer.stop();
 */
export function startDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  return DevIssuer.start(options);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
