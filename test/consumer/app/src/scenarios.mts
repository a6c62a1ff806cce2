// Each scenario boots its own TestIssuer and Nest app, makes requests as a client would,
// and returns what it saw. The spec (test/e2e/consumer.spec.ts) decides what is right.
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AuthModule } from 'nestjs-oidc-bearer';
import { TestIssuer } from 'nestjs-oidc-bearer/testing';
import { kidOf, probe, probeUntil, type Answer } from './http-probe.cjs';
import { GuardedController, OpenController, ProfileController } from './controllers.mjs';
import { startApp, type RunningApp } from './boot.mjs';

const audience = 'https://api.consumer.test';
/** How long an outage or a key rotation may take to heal once the issuer is back. */
const HEAL_BOUND_MS = 10_000;

async function withIssuer<T>(use: (issuer: TestIssuer) => Promise<T>): Promise<T> {
  const issuer = await TestIssuer.start({ audience });
  try {
    return await use(issuer);
  } finally {
    await issuer.stop();
  }
}

async function withApp<T>(app: RunningApp, use: (app: RunningApp) => Promise<T>): Promise<T> {
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}

/** `forRoot` with the global guard: every algorithm, the 401 answers, and fetch counts for a repeated token. */
export function forRoot() {
  return withIssuer(async (issuer) => {
    const app = await startApp([AuthModule.forRoot({ issuer: issuer.issuer, audience })], [ProfileController]);
    return withApp(app, async ({ url }) => {
      const byAlgorithm: Record<string, Answer> = {};
      for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
        byAlgorithm[alg] = await probe(url, '/me', await issuer.sign({ sub: `alice-${alg}` }, { alg }));
      }
      const expired = await issuer.sign({ exp: Math.floor(Date.now() / 1000) - 120 });
      const otherAudience = await issuer.sign({ aud: 'https://other-api.test' });
      const repeated = await issuer.sign({ sub: 'repeat' });
      const answers = {
        ...byAlgorithm,
        health: await probe(url, '/health'),
        noToken: await probe(url, '/me'),
        expired: await probe(url, '/me', expired),
        otherAudience: await probe(url, '/me', otherAudience),
      };
      await probe(url, '/me', repeated);
      const requestsBefore = issuer.requests;
      const repeatedStatuses = [];
      for (let round = 0; round < 3; round += 1) repeatedStatuses.push((await probe(url, '/me', repeated)).status);
      return { issuer: issuer.issuer, answers, repeatedToken: { statuses: repeatedStatuses, requestsBefore, requestsAfter: issuer.requests } };
    });
  });
}

/** `forRootAsync` fed by `@nestjs/config`. */
export function forRootAsync() {
  return withIssuer(async (issuer) => {
    const config = ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ oidc: { issuer: issuer.issuer, audience } })] });
    const auth = AuthModule.forRootAsync({
      imports: [config],
      inject: [ConfigService],
      useFactory: (settings: ConfigService) => ({
        issuer: settings.getOrThrow<string>('oidc.issuer'),
        audience: settings.getOrThrow<string>('oidc.audience'),
      }),
    });
    const app = await startApp([auth], [ProfileController]);
    return withApp(app, async ({ url }) => ({
      valid: await probe(url, '/me', await issuer.sign({ sub: 'from-config' })),
      noToken: await probe(url, '/me'),
    }));
  });
}

/** `globalGuard: false`: only the controller with `@UseGuards(JwtAuthGuard)` is protected. */
export function localGuard() {
  return withIssuer(async (issuer) => {
    const auth = AuthModule.forRoot({ issuer: issuer.issuer, audience, globalGuard: false });
    const app = await startApp([auth], [GuardedController, OpenController]);
    return withApp(app, async ({ url }) => ({
      guardedNoToken: await probe(url, '/guarded'),
      guardedValid: await probe(url, '/guarded', await issuer.sign({ sub: 'bob' })),
      openNoToken: await probe(url, '/open'),
    }));
  });
}

/** The issuer is down while the app boots: 503 until it is back, then 200 without a restart. */
export function issuerDownAtBoot() {
  return withIssuer(async (issuer) => {
    const token = await issuer.sign({ sub: 'patient' });
    await issuer.fail('down');
    const app = await startApp([AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: 500 })], [ProfileController]);
    return withApp(app, async ({ url }) => {
      const whileDown = await probe(url, '/me', token);
      await issuer.recover();
      const afterRecover = await probeUntil(() => probe(url, '/me', token), (answer) => answer.status === 200, HEAL_BOUND_MS);
      return { whileDown, afterRecover };
    });
  });
}

/** `rotateKeys()`: a token with the new `kid` is accepted by the running app. */
export function keyRotation() {
  return withIssuer(async (issuer) => {
    const app = await startApp([AuthModule.forRoot({ issuer: issuer.issuer, audience, jwksCooldown: 200 })], [ProfileController]);
    return withApp(app, async ({ url }) => {
      const before = await issuer.sign({ sub: 'before' });
      const beforeRotation = await probe(url, '/me', before);
      await issuer.rotateKeys();
      const after = await issuer.sign({ sub: 'after' });
      const afterRotation = await probeUntil(() => probe(url, '/me', after), (answer) => answer.status === 200, HEAL_BOUND_MS);
      return { kidBefore: kidOf(before), kidAfter: kidOf(after), beforeRotation, afterRotation };
    });
  });
}
