import { Module } from '@nestjs/common';
import { WebResearchConnector } from './web-research.connector.js';
import { WebResearchConnectorConfig } from './web-research-connector.config.js';

/** The SSRF-guarded page reader (WebResearchConnector) any provider's handler can inject. */
@Module({
  providers: [
    {
      provide: WebResearchConnector,
      useFactory: (settings: WebResearchConnectorConfig) => new WebResearchConnector(settings),
      inject: [WebResearchConnectorConfig],
    },
  ],
  exports: [WebResearchConnector],
})
export class WebResearchConnectorModule {}
