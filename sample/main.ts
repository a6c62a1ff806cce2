import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { DevIssuer } from './dev-issuer.js';
import { DEV_ISSUER } from './dev-issuer.module.js';
import { printDevInstructions } from './dev-instructions.js';
import type { SampleConfig } from './sample.config.js';

async function bootstrap(): Promise<void> {
  // abortOnError: false turns a bad setting into an exit code instead of a core dump.
  const app = await NestFactory.create(AppModule, { abortOnError: false, logger: ['error', 'warn'] });
  // Ctrl-C / SIGTERM close the API and the dev issuer (DevIssuerModule's shutdown hook).
  app.enableShutdownHooks();
  await app.listen(app.get(ConfigService).getOrThrow<SampleConfig>('sample').port);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const apiUrl = `http://127.0.0.1:${port}`;
  console.log(`Sample API on ${apiUrl}: GET /public (open), GET /me (needs a bearer token).`);
  const devIssuer = app.get<symbol, DevIssuer | null>(DEV_ISSUER);
  if (devIssuer !== null) await printDevInstructions(devIssuer, apiUrl);
}

bootstrap().catch((error: unknown) => {
  console.error(`The sample could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
