/**
 * The server of `npm run bench:api`, run as a child process: the real AppModule on a fresh embedded store, plus
 * one mutation that writes nothing (the framework's ceiling: same HTTP, NestJS, Apollo, validation and error
 * handling, no event store). Reports its port to the parent, and answers its messages: a CPU profile of a phase,
 * the memory it uses.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Args, Field, InputType, Int, Mutation, Resolver } from '@nestjs/graphql';
import { IsInt, Min } from 'class-validator';
import { Access } from '@kansli/api';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../apps/kansli/src/app.module';
import { configureApp } from '../apps/kansli/src/configure-app';
import { loadConfig } from '../apps/kansli/src/config';

@InputType()
class BenchNoopInput {
  @Field(() => Int) @IsInt() @Min(0) n!: number;
}

@Resolver()
class BenchNoopResolver {
  @Access('AUTHENTICATED')
  @Mutation(() => Int, { description: 'Benchmark only: validates its input and writes nothing.' })
  benchNoop(@Args('input') input: BenchNoopInput): number {
    return input.n;
  }

  @Access('ANONYMOUS')
  @Mutation(() => Int, { description: 'Benchmark only: the same, without a token (the cost of authentication).' })
  benchNoopPublic(@Args('input') input: BenchNoopInput): number {
    return input.n;
  }
}

@Module({ providers: [BenchNoopResolver] })
class BenchModule {}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>({ module: BenchModule, imports: [AppModule.forRoot(config)] }, { logger: ['error'] });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.send?.({ port });
  // The parent can profile one phase: { profile: 'start' } … { profile: 'stop', file } writes a .cpuprofile.
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  process.on('message', (message: { profile?: 'start' | 'stop'; file?: string; memory?: boolean }) => {
    // { memory: true } answers the heap after a full collection (when run with --expose-gc) and the whole memoryUsage.
    if (message.memory) {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ memory: process.memoryUsage() });
    }
    if (message.profile === 'start') void post('Profiler.enable').then(() => post('Profiler.start')).then(() => process.send?.({ profiling: true }));
    if (message.profile === 'stop' && message.file) {
      const file = message.file;
      void post('Profiler.stop').then((result) => {
        writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
        process.send?.({ profiled: file });
      });
    }
  });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
