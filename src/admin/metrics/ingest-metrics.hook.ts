import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { WEBHOOK_ROUTE_PREFIX } from '../../core/http/webhook-route-prefix.js';
import { HookwiseMetrics } from './hookwise-metrics.js';

/**
 * Counts webhook answers and observes their latency from a Fastify onResponse hook, so the ingest
 * code stays untouched. Only matched webhook routes are labelled (the provider comes from the route
 * pattern, never from the raw URL), which keeps label cardinality bounded.
 */
@Injectable()
export class IngestMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: HookwiseMetrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const { webhookRequests, ackDuration } = this.metrics;
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url;
      if (route !== undefined && route.startsWith(WEBHOOK_ROUTE_PREFIX)) {
        const provider = route.slice(WEBHOOK_ROUTE_PREFIX.length);
        webhookRequests.inc({ provider, status: reply.statusCode });
        ackDuration.observe({ provider }, reply.elapsedTime / 1000);
      }
      done();
    });
  }
}
