import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import { AppRole, type AppConfig } from './config/env.schema.js';
import { CoreModule, type CoreModuleOptions } from './core/core.module.js';
import { IngestModule } from './core/ingest/ingest.module.js';
import { HealthModule } from './health/health.module.js';
import { ConnectorsModule } from './connectors/connectors.module.js';
import { providerModules } from './providers/provider-modules.js';

/** The HTTP application (`APP_ROLE=api`, or `all`, which also runs the processors in-process). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: CoreModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, options),
        IngestModule,
        HealthModule,
        AdminModule,
        ConnectorsModule,
        ...providerModules({ receive: true, process: config.APP_ROLE === AppRole.All }),
      ],
    };
  }
}
