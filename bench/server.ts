import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAuth0App } from './apps/auth0.app.js';
import { createJoseApp } from './apps/jose.app.js';
import { createMinimalApp } from './apps/minimal.app.js';
import { createNoAuthApp } from './apps/no-auth.app.js';
import { createOursApp } from './apps/ours.app.js';
import { createPassportApp } from './apps/passport.app.js';
import type { ChildMessage, ServerCommand, ServerConfig } from './protocol.js';

// One scenario's server, in its own process so its CPU time is its own: the parent
// brackets the measured window with cpu-start / cpu-stop and divides by requests served.

function send(message: ChildMessage): void {
  process.send?.(message);
}

function create(config: ServerConfig): Promise<INestApplication> {
  switch (config.app) {
    case 'none':
      return createNoAuthApp();
    case 'ours':
      return createOursApp(config);
    case 'passport':
      return createPassportApp(config);
    case 'auth0':
      return createAuth0App(config);
    case 'jose':
      return createJoseApp(config);
    case 'minimal':
      return createMinimalApp(config);
  }
}

async function main(): Promise<void> {
  // The parent going away (even killed) closes the IPC channel: never outlive it.
  process.on('disconnect', () => process.exit(0));
  const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
  const app = await create(config);
  await app.listen(0, '127.0.0.1');
  let started = process.cpuUsage();
  process.on('message', (command: ServerCommand) => {
    if (command.type === 'cpu-start') {
      started = process.cpuUsage();
      send({ type: 'cpu-started' });
    } else {
      const used = process.cpuUsage(started);
      send({ type: 'cpu', userMicros: used.user, systemMicros: used.system });
    }
  });
  send({ type: 'ready', port: ((app.getHttpServer() as Server).address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
