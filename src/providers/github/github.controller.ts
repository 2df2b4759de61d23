import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IngestService, type IngestResponse } from '../../core/ingest/ingest.service.js';
import { WebhookProvider } from '../../core/ingest/webhook-provider.decorator.js';
import { GITHUB } from './github-webhook.provider.js';

@Controller('webhooks')
export class GithubController {
  constructor(private readonly ingest: IngestService) {}

  @Post(GITHUB)
  @HttpCode(202)
  @WebhookProvider(GITHUB)
  async receive(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<IngestResponse> {
    const result = await this.ingest.ingest(GITHUB, request);
    reply.status(result.statusCode);
    return result.body;
  }
}
