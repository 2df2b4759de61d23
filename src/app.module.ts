import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import type { AppOptions } from './app-options.js';
import { AppRole, type AppConfig } from './config/env.schema.js';
import { ConnectorsModule } from './connectors/connectors.module.js';
import { CoreModule } from './core/core.module.js';
import { ReconciliationModule } from './core/reconciliation/reconciliation.module.js';
import { IngestModule } from './core/ingest/ingest.module.js';
import { HealthModule } from './health/health.module.js';
import { webhookProviders } from './providers/index.js';

/** The HTTP application (`APP_ROLE=api`, or `all`, which also runs the processors in-process). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, { providers = webhookProviders, ...options }: AppOptions = {}): DynamicModule {
    const roles = { receive: true, process: config.APP_ROLE === AppRole.All };
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, { loggedHeaders: providers.flatMap((provider) => provider.loggedHeaders), ...options }),
        IngestModule,
        HealthModule,
        AdminModule,
        ConnectorsModule,
        ReconciliationModule.forRoles({ process: roles.process }),
        ...providers.map((provider) => provider.module(roles)),
      ],
    };
  }
}
