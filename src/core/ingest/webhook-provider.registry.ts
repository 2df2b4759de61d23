import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { WebhookProviderDefinition } from './webhook-provider-definition.js';

@Injectable()
export class WebhookProviderRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('Webhooks');
  private readonly providers = new Map<string, WebhookProviderDefinition>();

  register(provider: WebhookProviderDefinition): void {
    if (this.providers.has(provider.name)) throw new Error(`webhook provider ${provider.name} is registered twice`);
    this.providers.set(provider.name, provider);
  }

  get(name: string): WebhookProviderDefinition {
    const provider = this.providers.get(name);
    if (!provider) throw new Error(`no webhook provider named ${name} is registered`);
    return provider;
  }

  names(): string[] {
    return [...this.providers.keys()];
  }

  onApplicationBootstrap(): void {
    const unconfigured = [...this.providers.values()].filter((p) => !p.verifier.isConfigured());
    for (const provider of unconfigured) {
      this.logger.warn(
        `${provider.name} webhooks are not configured (${provider.secretVariable} is not set): deliveries are refused with 503 until it is`,
      );
    }
  }
}
