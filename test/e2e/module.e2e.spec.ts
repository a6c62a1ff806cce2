import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AuthConfigurationError, AuthModule, RequiredScopes, TokenVerifier, type AuthModuleOptions, type AuthOptionsFactory } from '../../lib/index.js';
import { TestIssuer } from '../../lib/testing/index.js';
import { GuardedController, MeController, UnguardedController } from '../fixtures/controllers.js';
import { bearer, get, startApp, type TestApp } from '../fixtures/test-app.js';

const audience = 'https://api.module.test';

@Injectable()
class AuthConfig implements AuthOptionsFactory {
  constructor(private readonly config: ConfigService) {}
  createAuthOptions(): AuthModuleOptions {
    return { issuer: this.config.getOrThrow<string>('AUTH_ISSUER'), audience: this.config.getOrThrow<string>('AUTH_AUDIENCE') };
  }
}

@Module({ imports: [ConfigModule], providers: [AuthConfig], exports: [AuthConfig] })
class AuthConfigModule {}

@Injectable()
class UsesVerifier {
  constructor(readonly verifier: TokenVerifier) {}
}

/** A feature module that injects the verifier without importing AuthModule. */
@Module({ providers: [UsesVerifier] })
class FeatureModule {}

@Module({})
class RootModule {}

describe('AuthModule registration', () => {
  let issuer: TestIssuer;
  const configModule = (): Promise<DynamicModule> =>
    ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: audience })] });

  before(async () => {
    issuer = await TestIssuer.start({ audience });
  });
  after(() => issuer.stop());

  const registrations: Record<string, () => (DynamicModule | Promise<DynamicModule>)[]> = {
    'forRoot': () => [AuthModule.forRoot({ issuer: issuer.issuer, audience })],
    'forRootAsync with useFactory and ConfigService': () => [
      configModule(),
      AuthModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          issuer: config.getOrThrow<string>('AUTH_ISSUER'),
          audience: config.getOrThrow<string>('AUTH_AUDIENCE'),
        }),
      }),
    ],
    'forRootAsync with an async useFactory': () => [
      AuthModule.forRootAsync({ useFactory: async () => ({ issuer: issuer.issuer, audience }) }),
    ],
    'forRootAsync with useClass': () => [configModule(), AuthModule.forRootAsync({ imports: [ConfigModule], useClass: AuthConfig })],
    'forRootAsync with useExisting': () => [
      configModule(),
      AuthModule.forRootAsync({ imports: [AuthConfigModule], useExisting: AuthConfig }),
    ],
  };

  for (const [name, imports] of Object.entries(registrations)) {
    describe(name, () => {
      let app: TestApp;
      before(async () => {
        app = await startApp('express', imports(), [MeController]);
      });
      after(() => app.close());

      it('protects routes with the global guard and exposes the claims', async () => {
        assert.equal((await get(app, '/me')).status, 401);
        const answer = await get(app, '/me', bearer(await issuer.sign({ sub: 'carol' })));
        assert.equal(answer.status, 200);
        assert.equal(answer.body.sub, 'carol');
      });
    });
  }

  describe('globalGuard: false', () => {
    let app: TestApp;
    before(async () => {
      app = await startApp(
        'express',
        [AuthModule.forRootAsync({ useFactory: () => ({ issuer: issuer.issuer, audience }), globalGuard: false })],
        [GuardedController, UnguardedController],
      );
    });
    after(() => app.close());

    it('leaves routes without @UseGuards open', async () => {
      assert.equal((await get(app, '/unguarded')).status, 200);
    });

    it('protects controllers with @UseGuards(JwtAuthGuard)', async () => {
      const missing = await get(app, '/guarded');
      assert.equal(missing.status, 401);
      assert.equal(missing.challenge, 'Bearer realm="api"');
      const answer = await get(app, '/guarded', bearer(await issuer.sign({ sub: 'dave' })));
      assert.deepEqual(answer.body, { sub: 'dave' });
    });
  });

  describe('isGlobal', () => {
    const contextWith = (extras: { isGlobal?: boolean }) =>
      NestFactory.createApplicationContext(
        { module: RootModule, imports: [AuthModule.forRoot({ issuer: issuer.issuer, audience, ...extras }), FeatureModule] },
        { logger: false, abortOnError: false },
      );

    it('makes TokenVerifier injectable in modules that do not import AuthModule (the default)', async () => {
      const context = await contextWith({});
      try {
        assert.ok(context.get(UsesVerifier).verifier instanceof TokenVerifier);
      } finally {
        await context.close();
      }
    });

    it('keeps the providers to the importing module with isGlobal: false', async () => {
      await assert.rejects(contextWith({ isGlobal: false }), /TokenVerifier/);
    });
  });

  describe('@RequiredScopes', () => {
    let app: TestApp;
    before(async () => {
      app = await startApp('fastify', [AuthModule.forRoot({ issuer: issuer.issuer, audience, realm: 'orders' })], [MeController]);
    });
    after(() => app.close());

    it('answers 403 insufficient_scope naming the scope when it is missing', async () => {
      const answer = await get(app, '/orders/write', bearer(await issuer.sign({ scope: 'orders:read' })));
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assert.equal(
        answer.challenge,
        'Bearer realm="orders", error="insufficient_scope", error_description="The access token lacks a required scope", scope="orders:write"',
      );
      assert.equal(answer.body.code, 'auth.insufficient_scope');
    });

    it('accepts the scope from "scope" or from an "scp" array', async () => {
      assert.equal((await get(app, '/orders/write', bearer(await issuer.sign({ scope: 'orders:read orders:write' })))).status, 200);
      assert.equal((await get(app, '/orders/write', bearer(await issuer.sign({ scp: ['orders:write'] })))).status, 200);
    });

    it('refuses, when the controller is declared, a scope name no token could carry', () => {
      for (const scope of ['orders write', 'say "hi"', 'back\\slash', '']) {
        assert.throws(() => RequiredScopes(scope), /is not a valid scope name \(RFC 6749 §3.3\)/, scope);
      }
    });

    it('matches whole scope names only: a comma list, a longer name or another case is 403', async () => {
      for (const scope of ['orders:read,orders:write', 'orders:writer', 'Orders:write']) {
        assert.equal((await get(app, '/orders/write', bearer(await issuer.sign({ scope })))).status, 403, scope);
      }
    });
  });

  it('fails at startup with a message that says how to fix bad options', async () => {
    await assert.rejects(
      startApp('express', [AuthModule.forRoot({ issuer: 'http://issuer.example.com', audience })], [MeController]),
      (error: unknown) => error instanceof AuthConfigurationError && /must use https/.test(error.message),
    );
  });
});
