// The CommonJS entry of the consumer app: TypeScript compiles these imports to
// `require()`, so Node loads the ESM package through require(esm) (Node ^20.19 / >=22.12).
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule, CurrentUser } from 'nestjs-oidc-bearer';
import { TestIssuer } from 'nestjs-oidc-bearer/testing';
import { probe } from './http-probe.cjs';

const audience = 'https://api.consumer.test';

@Controller('me')
class MeController {
  @Get()
  me(@CurrentUser('sub') sub: string): { sub: string } {
    return { sub };
  }
}

async function main(): Promise<void> {
  const issuer = await TestIssuer.start({ audience });
  try {
    @Module({ imports: [AuthModule.forRoot({ issuer: issuer.issuer, audience })], controllers: [MeController] })
    class CommonJsAppModule {}
    const app = await NestFactory.create(CommonJsAppModule, { logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      const url = await app.getUrl();
      const result = {
        entry: 'cjs',
        resolvedFrom: require.resolve('nestjs-oidc-bearer'),
        valid: await probe(url, '/me', await issuer.sign({ sub: 'required' })),
        noToken: await probe(url, '/me'),
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await app.close();
    }
  } finally {
    await issuer.stop();
  }
}

main().catch((error: unknown) => {
  console.error('consumer CommonJS check failed:', error);
  process.exitCode = 1;
});
