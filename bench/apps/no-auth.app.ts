import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BENCH_SUBJECT } from '../protocol.js';

@Controller()
class MeController {
  @Get('me')
  me() {
    return { sub: BENCH_SUBJECT };
  }
}

@Module({ controllers: [MeController] })
class NoAuthModule {}

/** The ceiling: Nest + Express answering `/me` with no authentication at all. */
export function createNoAuthApp(): Promise<INestApplication> {
  return NestFactory.create(NoAuthModule, { logger: ['error'] });
}
