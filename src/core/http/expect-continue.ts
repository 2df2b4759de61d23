import { NotFoundException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `Expect: 100-continue`: the client sends its headers and waits for `100 Continue` before it sends
 * its body. Node answers 100 to every such request before any hook runs, so a body that is refused
 * anyway (over WEBHOOK_BODY_LIMIT, no room in INGEST_MAX_INFLIGHT_BYTES, backpressure, a 404 or 405)
 * was uploaded before its refusal. Here Node hands the request over as any other, and 100 goes out
 * when its body is about to be read: a refusal decided before then is the only answer, and the body
 * is never sent. Node closes the connection after such an answer (the client may send the body
 * anyway). What is decided after the body (the signature) still gets its 100 first.
 *
 * Register it before any other preParsing hook: the body budget's counting hook starts reading the body.
 */
export function continueWhenReadingBody(fastify: FastifyInstance): void {
  // Node emits 'checkContinue' only for HTTP/1.1 requests expecting 100-continue: only these may get one.
  const awaitingContinue = new WeakSet<ServerResponse>();
  fastify.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitingContinue.add(res);
    fastify.server.emit('request', req, res);
  });
  // A callback hook, not an async one: every delivery passes here, and returns at the first test.
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (request.headers.expect === undefined || !awaitingContinue.delete(reply.raw)) return done(null, payload);
    // Fastify reads the body of an unknown route before its 404 handler runs: answered here, unread.
    if (request.is404) return done(new NotFoundException(`Cannot ${request.method} ${request.url}`));
    // Over the limit, Fastify answers 413 without reading: the client must not start sending.
    if (Number(request.headers['content-length'] ?? 0) > request.routeOptions.bodyLimit) return done(null, payload);
    reply.raw.writeContinue();
    done(null, payload);
  });
}
