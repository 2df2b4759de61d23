import type { FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';

/**
 * Node checks its request deadlines on a timer; at its default (30 s) a request was cut up to 30 s
 * late. Every second keeps HTTP_REQUEST_TIMEOUT_MS close to what it says, for a walk over the
 * connections still receiving a request.
 */
const DEADLINE_CHECK_INTERVAL_MS = 1000;

/**
 * The deadlines of the HTTP server against slow or abusive clients: the whole request (headers and
 * body) within `requestTimeoutMs`, else 408 and the connection closed. Idle keep-alive connections
 * close after Fastify's keepAliveTimeout (72 s); a handler that is running is never cut.
 */
export function httpTimeouts(requestTimeoutMs: number): Pick<FastifyHttpOptions<Server>, 'requestTimeout' | 'http'> {
  return {
    requestTimeout: requestTimeoutMs,
    // Node refuses a headersTimeout above requestTimeout; its 60 s default would be, for short deadlines.
    http: { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS },
  };
}
