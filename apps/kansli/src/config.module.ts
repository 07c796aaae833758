import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { KansliConfig } from './config';

export const KANSLI_CONFIG = Symbol('KANSLI_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: KansliConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: KANSLI_CONFIG, useValue: config }], exports: [KANSLI_CONFIG] };
  }
}
