import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { checkToken, invalidToken, type Expectation } from '../../fixtures/forge-expect.js';
import {
  ForgeKey,
  P256_ORDER,
  b64url,
  derSignature,
  ecdsaScalars,
  ecdsaSignature,
  forgeJws,
  segmentOf,
  segmentsOf,
  signatureBytes,
  validClaims,
  withSegment,
  withSignature,
} from '../../fixtures/forge.js';
import { describeOnEachPlatform } from '../../fixtures/test-app.js';

// Forgery (RFC 8725 §2–3): tokens made without the issuer's private keys, or issuer tokens
// bent into another shape. Every one must be a 401 on both HTTP stacks, with nothing of it echoed.

const audience = 'https://api.test';

interface Forge {
  readonly issuer: TestIssuer;
  /** The issuer's published JWK for each of its algorithms. */
  readonly issuerJwk: Record<'RS256' | 'ES256' | 'EdDSA', JWK>;
  /** In the JWKS, bound to RS256 by its `alg`. */
  readonly publishedRsa: ForgeKey;
  /** In the JWKS without `alg`: its curve (P-256) alone decides it is ES256. */
  readonly publishedEc: ForgeKey;
  /** An HS256 `oct` key the JWKS publishes, as a careless issuer might. */
  readonly octSecret: Buffer;
  /** Unpublished keys, one per algorithm the issuer signs with. */
  readonly attacker: Record<'RS256' | 'ES256' | 'EdDSA', ForgeKey>;
  /** A server that serves the attacker's keys and counts every connection. */
  readonly keyServer: { url: string; hits: number };
  /** Fresh valid claims with a canary subject. */
  claims(): Record<string, unknown>;
}

interface TokenRow {
  readonly name: string;
  readonly make: (forge: Forge) => string | Promise<string>;
  readonly expect: Expectation;
}

const malformed = invalidToken('auth.token_malformed');
const algorithmRefused = invalidToken('auth.token_algorithm_not_allowed');
const headerRefused = invalidToken('auth.token_header_unsupported');
const keyNotFound = invalidToken('auth.token_key_not_found');
const badSignature = invalidToken('auth.token_signature_invalid');

/** An attacker's RS256 token whose header says `header`. */
const attackerToken = (f: Forge, header: Record<string, unknown>): string => f.attacker.RS256.sign(f.claims(), header);
const issuerKid = (f: Forge, alg: 'RS256' | 'ES256' | 'EdDSA'): string => f.issuerJwk[alg].kid as string;
const pem = (jwk: JWK, type: 'spki' | 'pkcs1'): string => createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type }) as string;
/** An issuer token whose signature bytes are replaced by `change(signature)`. */
const withChangedSignature =
  (alg: 'RS256' | 'ES256', change: (signature: Buffer) => Uint8Array) =>
  async (f: Forge): Promise<string> => {
    const token = await f.issuer.sign({ sub: 'signature-canary-subject' }, { alg });
    return withSignature(token, change(signatureBytes(token)));
  };
/** An issuer ES256 token with its signature scalars (r, s) replaced. */
const withScalars = (scalars: (rs: { r: bigint; s: bigint }) => { r: bigint; s: bigint }) =>
  withChangedSignature('ES256', (signature) => {
    const { r, s } = scalars(ecdsaScalars(signature));
    return ecdsaSignature(r, s);
  });

/** Public material an attacker might use as an HMAC secret, and whose kid the forged token names. */
const HMAC_SECRETS: readonly (readonly [string, 'RS256' | 'ES256', (jwk: JWK) => string])[] = [
  ['the RSA key as PEM SPKI', 'RS256', (jwk) => pem(jwk, 'spki')],
  ['the RSA key as PEM PKCS#1', 'RS256', (jwk) => pem(jwk, 'pkcs1')],
  ['the RSA key\'s JWK JSON text', 'RS256', (jwk) => JSON.stringify(jwk)],
  ['the EC key as PEM SPKI', 'ES256', (jwk) => pem(jwk, 'spki')],
];

const rows: TokenRow[] = [
  // alg "none" (RFC 7518 §3.6), in every case, with and without a signature
  ...['none', 'None', 'NONE', 'nOnE'].flatMap((alg): TokenRow[] => [
    { name: `alg "${alg}" with an empty signature`, make: (f) => `${segmentOf({ alg, typ: 'at+jwt' })}.${segmentOf(f.claims())}.`, expect: malformed },
    { name: `alg "${alg}" with a signature`, make: (f) => `${segmentOf({ alg, typ: 'at+jwt' })}.${segmentOf(f.claims())}.${b64url(randomBytes(32))}`, expect: algorithmRefused },
  ]),
  { name: 'alg ""', make: (f) => attackerToken(f, { alg: '' }), expect: algorithmRefused },
  { name: 'no alg at all', make: (f) => attackerToken(f, { alg: undefined }), expect: algorithmRefused },
  { name: 'alg null', make: (f) => attackerToken(f, { alg: null }), expect: algorithmRefused },
  { name: 'alg "rs256" (algorithm names are case-sensitive)', make: (f) => attackerToken(f, { alg: 'rs256', kid: issuerKid(f, 'RS256') }), expect: algorithmRefused },
  // HMAC keyed with public material (the classic RS256 → HS256 confusion)
  ...['HS256', 'HS384', 'HS512'].flatMap((alg) =>
    HMAC_SECRETS.map(([secretName, keyAlg, secret]): TokenRow => ({
      name: `${alg} with ${secretName} as the HMAC secret`,
      make: (f) => forgeJws(alg, secret(f.issuerJwk[keyAlg]), { alg, kid: issuerKid(f, keyAlg), typ: 'at+jwt' }, f.claims()),
      expect: algorithmRefused,
    })),
  ),
  {
    name: 'HS256 with an oct key the JWKS publishes',
    make: (f) => forgeJws('HS256', f.octSecret, { alg: 'HS256', kid: 'forgery-oct', typ: 'at+jwt' }, f.claims()),
    expect: algorithmRefused,
  },
  // a key is bound to one algorithm: the token cannot choose another
  { name: 'alg ES256 under the issuer\'s RSA kid', make: (f) => f.attacker.ES256.sign(f.claims(), { kid: issuerKid(f, 'RS256') }), expect: keyNotFound },
  { name: 'alg EdDSA under the issuer\'s RSA kid', make: (f) => attackerToken(f, { alg: 'EdDSA', kid: issuerKid(f, 'RS256') }), expect: keyNotFound },
  { name: 'alg RS256 under the issuer\'s EdDSA kid', make: (f) => attackerToken(f, { kid: issuerKid(f, 'EdDSA') }), expect: keyNotFound },
  { name: 'alg Ed25519 under the issuer\'s EdDSA kid', make: (f) => attackerToken(f, { alg: 'Ed25519', kid: issuerKid(f, 'EdDSA') }), expect: keyNotFound },
  { name: 'PS256 really signed by an RSA key published for RS256', make: (f) => f.publishedRsa.sign(f.claims(), { alg: 'PS256' }, 'PS256'), expect: keyNotFound },
  { name: 'RS384 really signed by an RSA key published for RS256', make: (f) => f.publishedRsa.sign(f.claims(), { alg: 'RS384' }, 'RS384'), expect: keyNotFound },
  { name: 'ES384 really signed by a P-256 key published without alg', make: (f) => f.publishedEc.sign(f.claims(), { alg: 'ES384' }, 'ES384'), expect: keyNotFound },
  {
    name: 'no kid while two RS256 keys are published (never guess)',
    make: (f) => f.issuer.sign({ sub: 'kidless-canary-subject' }, { header: { kid: undefined } }),
    expect: keyNotFound,
  },
  // kid is a lookup key, never a path, query or command
  ...['../../etc/passwd', "' OR 1=1 --", '$(rm -rf /)', '{{7*7}}', '__proto__', 'constructor', '\u0000', '', 'k'.repeat(4000)].map(
    (kid): TokenRow => ({ name: `kid ${JSON.stringify(kid.slice(0, 20))}${kid.length > 20 ? '…' : ''}`, make: (f) => attackerToken(f, { kid }), expect: keyNotFound }),
  ),
  ...[42, { $ne: null }, ['a'], null, true].map((kid): TokenRow => ({ name: `kid ${JSON.stringify(kid)}`, make: (f) => attackerToken(f, { kid }), expect: headerRefused })),
  // keys the token brings along are never fetched nor trusted
  { name: 'jku to the attacker\'s key server', make: (f) => attackerToken(f, { jku: `${f.keyServer.url}/jwks`, kid: f.attacker.RS256.kid }), expect: keyNotFound },
  { name: 'jku with the issuer\'s kid', make: (f) => attackerToken(f, { jku: `${f.keyServer.url}/jwks`, kid: issuerKid(f, 'RS256') }), expect: badSignature },
  { name: 'x5u to the attacker\'s key server', make: (f) => attackerToken(f, { x5u: `${f.keyServer.url}/cert.pem`, kid: issuerKid(f, 'RS256') }), expect: badSignature },
  { name: 'an embedded jwk with the attacker\'s key', make: (f) => attackerToken(f, { jwk: f.attacker.RS256.publicJwk, kid: f.attacker.RS256.kid }), expect: keyNotFound },
  { name: 'an embedded jwk under the issuer\'s kid', make: (f) => attackerToken(f, { jwk: f.attacker.RS256.publicJwk, kid: issuerKid(f, 'RS256') }), expect: badSignature },
  {
    name: 'an x5c chain under the issuer\'s kid',
    make: (f) => attackerToken(f, { x5c: [randomBytes(600).toString('base64')], kid: issuerKid(f, 'RS256') }),
    expect: badSignature,
  },
  // extensions no access token uses (RFC 7515 §4.1.11, RFC 7797)
  { name: 'crit with an unknown extension', make: (f) => f.publishedRsa.sign(f.claims(), { crit: ['exp-ext'], 'exp-ext': true }), expect: headerRefused },
  { name: 'an empty crit', make: (f) => f.publishedRsa.sign(f.claims(), { crit: [] }), expect: headerRefused },
  { name: 'b64: false', make: (f) => f.publishedRsa.sign(f.claims(), { b64: false, crit: ['b64'] }), expect: headerRefused },
  { name: 'b64: false without crit', make: (f) => f.publishedRsa.sign(f.claims(), { b64: false }), expect: headerRefused },
  // issuer tokens, altered
  { name: 'a stripped signature', make: async (f) => withSegment(await f.issuer.sign(), 2, ''), expect: malformed },
  { name: 'a stripped signature and dot', make: async (f) => segmentsOf(await f.issuer.sign()).slice(0, 2).join('.'), expect: malformed },
  {
    name: 'a tampered payload',
    make: async (f) => {
      const token = await f.issuer.sign({ sub: 'tamper-canary-subject' });
      return withSegment(token, 1, segmentOf({ ...(f.claims()), sub: 'admin-canary-subject' }));
    },
    expect: badSignature,
  },
  {
    name: 'one flipped bit in the signature',
    make: withChangedSignature('RS256', (signature) => {
      signature[100] ^= 0x01;
      return signature;
    }),
    expect: badSignature,
  },
  { name: 'a truncated signature', make: withChangedSignature('RS256', (signature) => signature.subarray(1)), expect: badSignature },
  { name: 'a signature one byte longer', make: withChangedSignature('RS256', (signature) => Buffer.concat([signature, Buffer.from([0])])), expect: badSignature },
  ...(['RS256', 'ES256', 'EdDSA'] as const).map((alg): TokenRow => ({
    name: `another ${alg} key's signature under the issuer's ${alg} kid`,
    make: (f) => f.attacker[alg].sign(f.claims(), { kid: issuerKid(f, alg) }),
    expect: badSignature,
  })),
  // ECDSA edge cases
  { name: 'an ECDSA signature in DER form', make: withChangedSignature('ES256', derSignature), expect: badSignature },
  { name: 'ECDSA r = 0, s = 0 (CVE-2022-21449 "psychic signatures")', make: withScalars(() => ({ r: 0n, s: 0n })), expect: badSignature },
  { name: 'ECDSA r = 0', make: withScalars(({ s }) => ({ r: 0n, s })), expect: badSignature },
  { name: 'ECDSA s = 0', make: withScalars(({ r }) => ({ r, s: 0n })), expect: badSignature },
  { name: 'ECDSA r = n, s = n', make: withScalars(() => ({ r: P256_ORDER, s: P256_ORDER })), expect: badSignature },
  { name: 'ECDSA s = n', make: withScalars(({ r }) => ({ r, s: P256_ORDER })), expect: badSignature },
  // tokens of another kind
  {
    name: 'an ID token presented as an access token (aud = a client id)',
    make: (f) => f.issuer.sign({ aud: 'spa-client-id', azp: 'spa-client-id', nonce: 'n-0S6_WzA2Mj', sub: 'idtoken-canary-subject' }, { header: { typ: 'JWT' } }),
    expect: invalidToken('auth.token_audience_invalid'),
  },
  { name: 'a logout token (typ logout+jwt)', make: (f) => f.issuer.sign({ events: {} }, { header: { typ: 'logout+jwt' } }), expect: invalidToken('auth.token_type_invalid') },
];

/** A server that would hand out the attacker's keys, if anything ever asked it. */
async function startKeyServer(keys: JWK[]): Promise<{ server: Server; state: { url: string; hits: number } }> {
  const state = { url: '', hits: 0 };
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
  server.on('connection', () => (state.hits += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, state };
}

describe('hardening: forged tokens', () => {
  let forge: Forge;
  let keyServer: Server;

  before(async () => {
    const issuer = await TestIssuer.start({ audience });
    const publishedRsa = new ForgeKey('RS256', 'forgery-published-rs256');
    const publishedEc = new ForgeKey('ES256', 'forgery-published-es256', { jwk: { alg: undefined } });
    const octSecret = randomBytes(32);
    const byAlg = (alg: string): JWK => issuer.jwks.keys.find((key) => key.alg === alg) as JWK;
    issuer.setJwks({
      keys: [...issuer.jwks.keys, publishedRsa.publicJwk, publishedEc.publicJwk, { kty: 'oct', k: b64url(octSecret), kid: 'forgery-oct', alg: 'HS256' }],
    });
    const attacker = {
      RS256: new ForgeKey('RS256', 'attacker-rs256'),
      ES256: new ForgeKey('ES256', 'attacker-es256'),
      EdDSA: new ForgeKey('EdDSA', 'attacker-eddsa'),
    };
    const started = await startKeyServer([attacker.RS256.publicJwk]);
    keyServer = started.server;
    forge = {
      issuer,
      issuerJwk: { RS256: byAlg('RS256'), ES256: byAlg('ES256'), EdDSA: byAlg('EdDSA') },
      publishedRsa,
      publishedEc,
      octSecret,
      attacker,
      keyServer: started.state,
      claims: () => validClaims(issuer.issuer, audience, { sub: 'forgery-canary-subject', scope: 'admin:all' }),
    };
  });
  after(async () => {
    keyServer.close();
    await forge.issuer.stop();
  });

  describeOnEachPlatform(
    (platform) => `on ${platform}`,
    () => [AuthModule.forRoot({ issuer: forge.issuer.issuer, audience })],
    [MeController],
    (app) => {
      it('still accepts the issuer\'s own tokens and the published test keys', async () => {
        for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) await checkToken(app.url, await forge.issuer.sign({}, { alg }), { status: 200 });
        await checkToken(app.url, forge.publishedRsa.sign(forge.claims()), { status: 200 });
        await checkToken(app.url, forge.publishedEc.sign(forge.claims()), { status: 200 });
      });

      for (const row of rows) {
        it(`refuses ${row.name}`, async () => checkToken(app.url, await row.make(forge), row.expect));
      }

      // RFC 7518 §3.4 does not require low-s ECDSA signatures and jose accepts both forms:
      // (r, n - s) is a second spelling of the issuer's own signature, not a forgery.
      // The claims are the issuer's; the verified-token cache simply holds two entries.
      it('accepts the high-s twin of a valid ECDSA signature (malleable, not forged)', async () => {
        const token = await withScalars(({ r, s }) => ({ r, s: P256_ORDER - s }))(forge);
        await checkToken(app.url, token, { status: 200 });
      });

      it('never fetched a key from a jku or x5u address', () => {
        assert.equal(forge.keyServer.hits, 0);
      });
    },
  );
});
