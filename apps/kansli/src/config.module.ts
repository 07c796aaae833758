import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from '@kansli/api';
import type { KansliConfig } from './config';

export const KANSLI_CONFIG = Symbol('KANSLI_CONFIG');

/** The configuration and the clock, available everywhere. Tests pass a fixed clock. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: KansliConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: KANSLI_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [KANSLI_CONFIG, Clock],
    };
  }
}
