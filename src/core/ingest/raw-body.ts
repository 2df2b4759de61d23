import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isJsonContentType } from './content-type.js';
import { UnsupportedBodyFormatError } from './unsupported-body-format.error.js';
import { WEBHOOK_ROUTE_PREFIX } from '../http/webhook-route-prefix.js';

/**
 * Replaces Fastify's body parsers. Webhook routes get the exact bytes as a Buffer, whatever the
 * content type (JSON is parsed only after the signature is checked). Other routes accept JSON.
 * Bodies over `bodyLimit` are refused with 413 before anything else runs.
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    if (request.url.startsWith(WEBHOOK_ROUTE_PREFIX)) return done(null, body);
    const type = request.headers['content-type'];
    // Nest's exception handler answers these (plain errors would be 500s, logged as failures of ours).
    if (!isJsonContentType(type)) return done(UnsupportedBodyFormatError.contentType(type, 'send application/json'), undefined);
    if ((body as Buffer).length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new BadRequestException({ error: 'invalid_json', message: 'the request body is not valid JSON' }), undefined);
    }
  });
}

export function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}
