import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfigModule } from '../config/config.module.js';
import type { AppConfig } from '../config/env.schema.js';
import { ActionsModule } from './actions/actions.module.js';
import { AgentsModule } from './agents/agents.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { loggerOptions } from './logging/logger-options.js';
import { ProcessingModule } from './processing/processing.module.js';
import { QueueModule } from './queue/queue.module.js';

export interface CoreModuleOptions {
  /** Where log lines go (tests capture them); stdout when absent. */
  logDestination?: DestinationStream;
  /** Request headers the providers want on log lines (their delivery id, event type), beyond the common ones. */
  loggedHeaders?: readonly string[];
}

/** What every process needs, whatever its role: configuration, logging, the ledger and the queues. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, options: CoreModuleOptions = {}): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config, options.logDestination, options.loggedHeaders)),
        DatabaseModule,
        EventsModule,
        QueueModule.forRoot(),
        ProcessingModule,
        ActionsModule,
        AgentsModule,
      ],
    };
  }
}
