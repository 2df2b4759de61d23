import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminEndpoint } from '../auth/admin-endpoint.decorator.js';
import { HookwiseMetrics } from './hookwise-metrics.js';

/** Prometheus scrape endpoint; needs an admin key (Prometheus: `authorization: { credentials: <key> }`). */
@ApiExcludeController()
@AdminEndpoint()
@Controller({ path: 'metrics' })
export class MetricsController {
  constructor(private readonly metrics: HookwiseMetrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
