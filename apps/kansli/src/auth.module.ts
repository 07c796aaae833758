import { Global, Module } from '@nestjs/common';
import { SigningKey, TokenVerifier } from '@kansli/auth';
import type { KansliConfig } from './config';
import { KANSLI_CONFIG } from './config.module';

/**
 * How tokens are checked: against the embedded signing key (created in the data folder on first start), or
 * against an OIDC issuer's JWKS.
 */
@Global()
@Module({
  providers: [
    {
      provide: TokenVerifier,
      inject: [KANSLI_CONFIG],
      useFactory: async (config: KansliConfig) =>
        config.auth.mode === 'embedded'
          ? TokenVerifier.embedded((await SigningKey.loadOrCreate(config.auth.keyFile)).publicKey)
          : TokenVerifier.oidc(config.auth),
    },
  ],
  exports: [TokenVerifier],
})
export class AuthModule {}
