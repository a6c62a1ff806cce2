import { registerAs } from '@nestjs/config';

/** The audience the dev issuer's tokens carry when `AUTH_AUDIENCE` is unset (`.test` is reserved, RFC 2606). */
export const DEFAULT_AUDIENCE = 'https://api.sample.test';

/** The sample's settings, read from the environment once at boot. */
export interface SampleConfig {
  /** `PORT`: where the API listens; 0 picks a free port. @default 3000 */
  readonly port: number;
  /** `AUTH_ISSUER`: the issuer to trust. Unset: an embedded dev issuer is started. */
  readonly issuer?: string;
  /** `AUTH_AUDIENCE`: the `aud` this API accepts. Required with `AUTH_ISSUER`. @default DEFAULT_AUDIENCE */
  readonly audience: string;
  /** `DEV_ISSUER_PORT`: where the dev issuer listens. @default 0 (a free port) */
  readonly devIssuerPort: number;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new Error(`${name} must be a port number from 0 to 65535; got ${JSON.stringify(text)}.`);
  return value;
}

/** Validates the environment; every error says which variable to fix and how. */
export function readSampleConfig(env: NodeJS.ProcessEnv): SampleConfig {
  const listenPort = port(env, 'PORT', 3000);
  const issuer = env.AUTH_ISSUER || undefined;
  const audience = env.AUTH_AUDIENCE || undefined;
  if (issuer !== undefined) {
    if (audience === undefined) {
      throw new Error(
        'AUTH_AUDIENCE is required when AUTH_ISSUER is set: the API identifier your issuer puts in the "aud" claim, ' +
          'e.g. AUTH_AUDIENCE=https://api.example.com. Unset AUTH_ISSUER to use the embedded dev issuer instead.',
      );
    }
    return { port: listenPort, issuer, audience, devIssuerPort: 0 };
  }
  const devIssuerPort = port(env, 'DEV_ISSUER_PORT', 0);
  if (devIssuerPort !== 0 && devIssuerPort === listenPort) {
    throw new Error(`DEV_ISSUER_PORT must differ from PORT (both are ${listenPort}); leave it unset to pick a free port.`);
  }
  return { port: listenPort, audience: audience ?? DEFAULT_AUDIENCE, devIssuerPort };
}

/** The `sample` namespace of `ConfigService`: `config.getOrThrow<SampleConfig>('sample')`. */
export const sampleConfig = registerAs('sample', (): SampleConfig => readSampleConfig(process.env));
