import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AuthModule, type AuthModuleOptions } from '../lib/index.js';
import { AppController } from './app.controller.js';
import type { DevIssuer } from './dev-issuer.js';
import { DEV_ISSUER, DevIssuerModule } from './dev-issuer.module.js';
import { sampleConfig, type SampleConfig } from './sample.config.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [sampleConfig] }),
    AuthModule.forRootAsync({
      imports: [DevIssuerModule],
      inject: [ConfigService, DEV_ISSUER],
      useFactory: (config: ConfigService, devIssuer: DevIssuer | null): AuthModuleOptions => ({
        issuer: devIssuer?.issuer ?? config.getOrThrow<string>('sample.issuer'),
        audience: config.getOrThrow<SampleConfig>('sample').audience,
      }),
    }),
  ],
  controllers: [AppController],
})
export class AppModule {}
