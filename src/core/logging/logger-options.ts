import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { pino, type DestinationStream } from 'pino';
import { uuidv7 } from '../http/uuid-v7.js';
import type { AppConfig } from '../../config/env.schema.js';

/**
 * Request headers every line may show; providers add theirs (a delivery id, an event type: see
 * `loggedHeaders` in defineWebhookProvider). Every other header (signatures, tokens, cookies) is
 * left out by the `req` serializer, so it never reaches a log line.
 */
const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length'];

/** Defence in depth: should a credential ever be logged as a field, it is censored. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.secret',
  '*.password',
  '*.token',
  '*.apiKey',
];

/**
 * The one pino configuration of the service: JSON in production, pretty in development, a request
 * id that is also the ledger id of the event a request creates (and the `reqId` of its job's logs).
 */
export function loggerOptions(config: AppConfig, destination?: DestinationStream, providerHeaders: readonly string[] = []): Params {
  const loggedHeaders = [...new Set([...LOGGED_HEADERS, ...providerHeaders])];
  const pretty = config.NODE_ENV === 'development' && !destination;
  return {
    // Webhook deliveries are logged by logWebhookRequests (http/webhook-access-log.ts), without the per-request context.
    exclude: [{ path: 'webhooks/{*splat}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level: config.LOG_LEVEL,
        genReqId: (req: IncomingMessage & { id?: unknown }) => (typeof req.id === 'string' ? req.id : uuidv7()),
        quietReqLogger: true,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        transport: pretty ? { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } } : undefined,
        autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
        serializers: {
          req: (req: IncomingMessage & { id?: unknown }) => ({
            id: req.id,
            method: req.method,
            url: req.url,
            headers: Object.fromEntries(loggedHeaders.filter((h) => req.headers?.[h] !== undefined).map((h) => [h, req.headers[h]])),
          }),
          res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
        },
      },
      // Asynchronous stdout: lines written while a write is in flight go out together in the next one
      // (a synchronous write per line is a system call per request). Flushed at exit.
      destination ?? (pretty ? undefined : pino.destination({ dest: 1, sync: false })),
    ],
  } as Params;
}
