import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './env.schema.js';
import { loadedSettings } from './load-config.js';

/**
 * Makes the validated configuration injectable: the platform's as `AppConfig`, each provider's and
 * connector's by its own class (`@Inject(SlackConnectorConfig)`), and every variable through
 * @nestjs/config's ConfigService for libraries that expect it. Validation happens once, before the
 * application is built (src/config/load-config.ts); this module only hands out what was loaded.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const settings: Provider[] = [...loadedSettings(config)].map(([settingsClass, instance]) => ({ provide: settingsClass, useValue: instance }));
    const tokens = [AppConfig, ...loadedSettings(config).keys()];
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...config })] })],
      providers: [{ provide: AppConfig, useValue: config }, ...settings],
      exports: [...tokens, ConfigModule],
    };
  }
}
