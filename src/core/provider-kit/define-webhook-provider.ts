import { Module, type DynamicModule, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { webhookController } from '../ingest/webhook-controller.js';
import type { WebhookProviderDefinition } from '../ingest/webhook-provider-definition.js';
import type { WebhookEventHandler } from '../processing/event-handler.js';
import type { WebhookEventProcessor } from '../processing/webhook-event.processor.js';
import type { Reconciler } from '../reconciliation/reconciler.js';
import { QueueModule } from '../queue/queue.module.js';
import { pascalCase } from '../ingest/pascal-case.js';
import { webhookProcessor } from './webhook-processor.js';

/** Which halves of a provider a process runs: `api` receives, `worker` processes, `all` both. */
export interface ProviderRoles {
  receive: boolean;
  process: boolean;
}

/** Everything a provider folder declares about its sender; see docs/adding-a-provider.md. */
export interface WebhookProviderSpec {
  /** Lower-case, kebab-case: the endpoint is `POST /webhooks/<name>`, the queue `webhooks-<name>`, the ledger's `provider` column. */
  name: string;
  /** Verification, delivery id, event type and subject of a delivery (an `@Injectable()` implementing WebhookProviderDefinition). */
  definition: Type<WebhookProviderDefinition>;
  /** The provider's event handlers (each `@WebhookEventHandler()`), more specific ones first. */
  handlers?: Type<WebhookEventHandler>[];
  /** Its other injectables: agents, API clients of its own. */
  providers?: Provider[];
  /** Injectables of the worker and all roles only: processors of queues of its own (`@Processor`). */
  workers?: Provider[];
  /** Modules it needs beyond the core's global ones and the connectors. */
  imports?: ModuleMetadata['imports'];
  /** Request headers worth showing on its access log lines, e.g. its delivery id and event type (lower-case; never a signature). */
  loggedHeaders?: string[];
  /**
   * Its reconciler, if its sender keeps a record Hookwise can check (each `@WebhookReconciler()`,
   * named after the provider): run on RECONCILE_INTERVAL and from the admin API. With one, the
   * definition is provided in every role, for retrieved deliveries are read by its `describe`.
   */
  reconcilers?: Type<Reconciler>[];
  /** Its settings classes (environment variables): validated at boot with the rest, and listed in docs/configuration.md. */
  settings?: Type<object>[];
}

/** A provider as the application sees it: its name, its settings and its module for a role. */
export interface WebhookProvider {
  readonly name: string;
  readonly settings: readonly Type<object>[];
  readonly loggedHeaders: readonly string[];
  /** Its queue's processor class (in the worker and all roles): `app.get(provider.processor)`. */
  readonly processor: Type<WebhookEventProcessor>;
  module(roles: ProviderRoles): DynamicModule;
}

const PROVIDER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Builds a provider from its folder's parts. The core owns the wiring every provider needs: the
 * endpoint and the verified-delivery path in the api role, the queue in every role, the processor in
 * the worker role, and the handlers in every role (processors route to them, and admin replays and
 * approvals call them from the api role).
 */
export function defineWebhookProvider(spec: WebhookProviderSpec): WebhookProvider {
  if (!PROVIDER_NAME.test(spec.name)) {
    throw new Error(`webhook provider name "${spec.name}" must be lower-case letters and digits, words separated by "-"`);
  }
  const className = `${pascalCase(spec.name)}WebhookModule`;
  // One module class per provider: Nest tells dynamic modules apart by their class.
  const ProviderModule = { [className]: class {} }[className];
  Module({})(ProviderModule);
  const handlers = spec.handlers ?? [];
  const reconcilers = spec.reconcilers ?? [];
  const processor = webhookProcessor(spec.name);

  return {
    name: spec.name,
    settings: spec.settings ?? [],
    loggedHeaders: (spec.loggedHeaders ?? []).map((name) => name.toLowerCase()),
    processor,
    module: ({ receive, process }) => ({
      module: ProviderModule,
      imports: [QueueModule.forProvider(spec.name), ...(receive ? [IngestModule] : []), ...(spec.imports ?? [])],
      controllers: receive ? [webhookController(spec.name)] : [],
      providers: [
        ...(receive || reconcilers.length > 0 ? [spec.definition] : []),
        ...(process ? [processor] : []),
        ...handlers,
        ...reconcilers,
        ...(spec.providers ?? []),
        ...(process ? (spec.workers ?? []) : []),
      ],
    }),
  };
}
