import { Controller, HttpCode, Inject, Post, Req, Res, type Type } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { noteEventId } from '../http/webhook-access-log.js';
import { IngestService, type IngestResponse } from './ingest.service.js';
import { WEBHOOK_ROUTE_PREFIX } from '../http/webhook-route-prefix.js';
import { pascalCase } from './pascal-case.js';
import { Verified, type VerifiedDelivery } from './verified-delivery.js';
import { WebhookProvider } from './webhook-provider.decorator.js';

/**
 * The endpoint of one provider, `POST /webhooks/<provider>`. Its place matters: only routes under
 * /webhooks/ get their raw bytes (a route elsewhere would see every delivery as an empty body), the
 * 405 answer, backpressure, the access log and the per-provider metrics.
 */
export function webhookController(provider: string): Type<unknown> {
  @Controller(WEBHOOK_ROUTE_PREFIX.slice(1, -1))
  class WebhookController {
    constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

    @Post(provider)
    @HttpCode(202)
    @WebhookProvider(provider)
    async receive(
      @Verified() delivery: VerifiedDelivery,
      @Req() request: FastifyRequest,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<IngestResponse | string> {
      const result = await this.ingest.ingest(delivery);
      if (result.handshake) {
        reply.status(result.handshake.statusCode ?? 200).header('content-type', result.handshake.contentType);
        return result.handshake.body;
      }
      noteEventId(request, result.body.id);
      reply.status(result.statusCode);
      return result.body;
    }
  }
  // Nest's route log and the OpenAPI operation ids are named after the class: one name per provider.
  Object.defineProperty(WebhookController, 'name', { value: `${pascalCase(provider)}WebhookController` });
  return WebhookController;
}
