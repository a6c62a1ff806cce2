import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthModuleOptions } from './auth-options.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';

/** Module-level switches, given next to the options of `forRoot` / `forRootAsync`. */
export interface AuthModuleExtras {
  /**
   * Register `JwtAuthGuard` as a global guard. `false` leaves protection to `@UseGuards(JwtAuthGuard)`.
   * @default true
   */
  globalGuard?: boolean;
  /**
   * Make the module's providers (the guard, the verifier) injectable everywhere.
   * @default true
   */
  isGlobal?: boolean;
}

/**
 * A class that supplies the options, for `AuthModule.forRootAsync({ useClass })` / `useExisting`.
 *
 * @example
 * @Injectable()
 * class AuthConfig implements AuthOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createAuthOptions() { return { issuer: this.config.getOrThrow('AUTH_ISSUER'), audience: this.config.getOrThrow('AUTH_AUDIENCE') }; }
 * }
 */
export interface AuthOptionsFactory {
  createAuthOptions(): AuthModuleOptions | Promise<AuthModuleOptions>;
}

const globalGuardProvider: Provider = { provide: APP_GUARD, useExisting: JwtAuthGuard };

export const {
  ConfigurableModuleClass: ConfigurableAuthModule,
  MODULE_OPTIONS_TOKEN: AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>({ moduleName: 'Auth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createAuthOptions')
  .setExtras<AuthModuleExtras>({ globalGuard: true, isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: extras.globalGuard ? [...(definition.providers ?? []), globalGuardProvider] : definition.providers,
  }))
  .build();
