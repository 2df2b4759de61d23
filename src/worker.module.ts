import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/env.schema.js';
import { CoreModule, type CoreModuleOptions } from './core/core.module.js';
import { ConnectorsModule } from './connectors/connectors.module.js';
import { providerModules } from './providers/provider-modules.js';

/** The processors alone (`APP_ROLE=worker`): no HTTP listener. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: CoreModuleOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config, options), ConnectorsModule, ...providerModules({ receive: false, process: true })],
    };
  }
}
