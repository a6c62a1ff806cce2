import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { LoggerService } from '@nestjs/common';
import { AuthModule } from '../../../lib/index.js';
import { TestIssuer } from '../../../lib/testing/index.js';
import { MeController } from '../../fixtures/controllers.js';
import { assertAnswer, invalidToken, leakProbes } from '../../fixtures/forge-expect.js';
import { ForgeKey, b64url, forgeJws, segmentOf, validClaims, withSegment } from '../../fixtures/forge.js';
import { rawRequest } from '../../fixtures/forge-request.js';
import { describeOnEachPlatform } from '../../fixtures/test-app.js';

// Whatever a request carries stays out of the logs, at every level: no token, no claim value.
// The package logs only about the issuer (key-set loads, refused JWKS members); this checks it.

const audience = 'https://api.test';

/** A Nest logger that keeps every line, with its context and any error fully inspected. */
class CaptureLogger implements LoggerService {
  readonly lines: string[] = [];
  log(...parts: unknown[]): void { this.keep('log', parts); }
  error(...parts: unknown[]): void { this.keep('error', parts); }
  warn(...parts: unknown[]): void { this.keep('warn', parts); }
  debug(...parts: unknown[]): void { this.keep('debug', parts); }
  verbose(...parts: unknown[]): void { this.keep('verbose', parts); }
  fatal(...parts: unknown[]): void { this.keep('fatal', parts); }
  private keep(level: string, parts: unknown[]): void {
    const text = parts.map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 5 }))).join(' ');
    this.lines.push(`${level} ${text}`);
  }
}

const CANARY = /log-canary-[0-9a-f-]{36}/g;

/** Every canary in a header value, plainly or inside a base64url part (claims, iss and aud included). */
const canariesIn = (value: string): string[] =>
  [value, ...value.split(/[ .]/).map((part) => Buffer.from(part, 'base64url').toString('utf8'))].flatMap((text) => text.match(CANARY) ?? []);

describe('hardening: nothing of a request reaches the logs', () => {
  const logger = new CaptureLogger();
  const canary = (): string => `log-canary-${randomUUID()}`;
  let issuer: TestIssuer;
  let attacker: ForgeKey;
  const sent: string[] = [];

  before(async () => {
    issuer = await TestIssuer.start({ audience });
    attacker = new ForgeKey('RS256', `attacker-${randomUUID()}`);
    // One refused member, so the package has something to log about the key set.
    issuer.setJwks({ keys: [...issuer.jwks.keys, { kty: 'oct', k: b64url('an-oct-secret-of-32-bytes-length'), kid: 'oct' }] });
  });
  after(() => issuer.stop());

  /** Tokens that fail at every stage: grammar, shape, header, key, signature, claims. */
  async function badTokens(): Promise<string[]> {
    const claims = (): Record<string, unknown> => validClaims(issuer.issuer, audience, { sub: canary(), email: `${canary()}@example.com`, secret: canary() });
    const valid = await issuer.sign({ sub: canary(), secret: canary() });
    return [
      `${segmentOf({ alg: 'none' })}.${segmentOf(claims())}.`,
      forgeJws('HS256', 'secret', { alg: 'HS256', kid: canary() }, claims()),
      attacker.sign(claims()),
      attacker.sign(claims(), { kid: canary(), jku: `http://127.0.0.1:9/${canary()}` }),
      attacker.sign(claims(), { kid: (issuer.jwks.keys[0].kid as string) }),
      attacker.sign(claims(), { crit: [canary()] }),
      withSegment(valid, 1, segmentOf(claims())),
      await issuer.sign({ sub: canary(), exp: 1000 }),
      await issuer.sign({ sub: canary(), aud: canary() }),
      await issuer.sign({ sub: canary(), iss: `https://${canary()}.example` }),
      await issuer.sign({ sub: canary(), exp: canary() }),
      await issuer.sign({ sub: canary() }, { header: { typ: `${canary()}+jwt` } }),
      `${segmentOf(`{"alg":"RS256","kid":"${canary()}"`)}.${segmentOf(claims())}.${b64url('sig')}`,
      `${segmentOf({ alg: 'RS256' })}.${segmentOf(`["${canary()}"]`)}.${b64url('sig')}`,
      `${b64url(canary())}.${b64url(canary())}`,
      `${valid}.${b64url(canary())}`,
    ];
  }

  describeOnEachPlatform(
    (platform) => `on ${platform}`,
    () => [AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: 0 })],
    [MeController],
    (app) => {
      it('refuses a batch of bad tokens, and a failing key-set refresh, without echoing them', async () => {
        for (const token of await badTokens()) {
          sent.push(token);
          const answer = await rawRequest(app.url, { headers: [['Authorization', `Bearer ${token}`]] });
          assertAnswer(answer, { status: [400, 401] }, leakProbes(token));
        }
        // An unknown kid while the issuer serves garbage: the failed refresh is logged, the token is not.
        await issuer.fail('garbage');
        const token = attacker.sign(validClaims(issuer.issuer, audience, { sub: canary() }), { kid: canary() });
        sent.push(token);
        const answer = await rawRequest(app.url, { headers: [['Authorization', `Bearer ${token}`]] });
        await issuer.recover();
        assertAnswer(answer, invalidToken('auth.token_key_not_found'), leakProbes(token));
        // Odd headers with a token inside.
        for (const value of [`Basic ${b64url(canary())}`, `Bearer ${canary()} ${canary()}`, `Token ${canary()}`]) {
          sent.push(value);
          assertAnswer(await rawRequest(app.url, { headers: [['Authorization', value]] }), { status: [400, 401] }, [value]);
        }
        const valid = await issuer.sign({ sub: canary(), secret: canary() });
        sent.push(valid);
        assert.equal((await rawRequest(app.url, { headers: [['Authorization', `Bearer ${valid}`]] })).status, 200);
      });
    }, { logger },
  );

  it('logged about the issuer\'s keys, and nothing of any token or claim', () => {
    assert.ok(logger.lines.some((line) => line.includes('nestjs-oidc-bearer') && line.includes('symmetric key')), 'the capture sees the package\'s own warnings');
    assert.ok(logger.lines.some((line) => line.includes('Loading the issuer\'s signing keys failed')), 'the failed refresh was logged');
    const probes = sent.flatMap((token) => [...leakProbes(token), ...canariesIn(token)]);
    assert.ok(probes.filter((probe) => probe.startsWith('log-canary-')).length > 40, 'the probes include every claim canary');
    for (const line of logger.lines) {
      for (const probe of probes) assert.ok(!line.includes(probe), `a log line repeats ${JSON.stringify(probe.slice(0, 40))}: ${line.slice(0, 200)}`);
    }
  });
});
