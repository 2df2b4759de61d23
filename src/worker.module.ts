import { type DynamicModule, Module } from '@nestjs/common';
import type { AppOptions } from './app-options.js';
import type { AppConfig } from './config/env.schema.js';
import { ConnectorsModule } from './connectors/connectors.module.js';
import { CoreModule } from './core/core.module.js';
import { ReconciliationModule } from './core/reconciliation/reconciliation.module.js';
import { webhookProviders } from './providers/index.js';

/** The processors alone (`APP_ROLE=worker`): no HTTP listener. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, { providers = webhookProviders, ...options }: AppOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config, { loggedHeaders: providers.flatMap((provider) => provider.loggedHeaders), ...options }),
        ConnectorsModule,
        ReconciliationModule.forRoles({ process: true }),
        ...providers.map((provider) => provider.module({ receive: false, process: true })),
      ],
    };
  }
}
