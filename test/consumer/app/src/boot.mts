import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** Boots a Nest app on Express at 127.0.0.1 on an ephemeral port, logs off (stdout carries the result line). */
export async function startApp(imports: (DynamicModule | Type)[], controllers: Type[]): Promise<RunningApp> {
  @Module({ imports, controllers })
  class ConsumerAppModule {}
  const app = await NestFactory.create(ConsumerAppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return { url, close: () => app.close() };
}
