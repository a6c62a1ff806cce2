import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DevIssuer } from './dev-issuer.js';
import type { SampleConfig } from './sample.config.js';

/** Injection token of the running dev issuer, or `null` when `AUTH_ISSUER` names a real one. */
export const DEV_ISSUER = Symbol('DEV_ISSUER');

async function startUnlessIssuerConfigured(config: ConfigService): Promise<DevIssuer | null> {
  const sample = config.getOrThrow<SampleConfig>('sample');
  if (sample.issuer !== undefined) return null;
  // Loaded only when used: oidc-provider is a dev dependency (and warns about Node 20 on import).
  const { startDevIssuer } = await import('./dev-issuer.js');
  return startDevIssuer({ port: sample.devIssuerPort, audience: sample.audience });
}

/** Starts the embedded dev issuer when no issuer is configured, and stops it with the app. */
@Module({
  providers: [{ provide: DEV_ISSUER, inject: [ConfigService], useFactory: startUnlessIssuerConfigured }],
  exports: [DEV_ISSUER],
})
export class DevIssuerModule implements OnApplicationShutdown {
  constructor(@Inject(DEV_ISSUER) private readonly devIssuer: DevIssuer | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.devIssuer?.stop();
  }
}
