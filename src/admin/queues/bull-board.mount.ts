import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/env.schema.js';
import { AdminAuditLog } from '../audit/admin-audit-log.js';
import { AdminKeyVerifier } from '../auth/admin-key-verifier.js';
import { RECONCILIATION_QUEUE } from '../../core/reconciliation/reconciliation-queue.js';
import { ADMIN_REPLAY_QUEUE } from '../replay/admin-replay-job.js';
import { QueueDirectory } from './queue-directory.js';

export const BULL_BOARD_PATH = '/admin/queues';

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Mounts Bull Board at /admin/queues inside its own Fastify scope, whose onRequest hook throttles
 * (as the admin API does, before the key is checked, so guessing keys is throttled too: Nest's
 * ThrottlerGuard never sees this scope) and then asks for an admin key. Browsers cannot send a
 * bearer header, so this scope also takes HTTP Basic with the key as the password (any user name)
 * and asks for it with WWW-Authenticate. Every change made from the board (pause, empty, clean,
 * retry, add...: any method but GET) is recorded in the audit trail first, as `queues.change`.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit, OnApplicationBootstrap {
  private board: ReturnType<typeof createBullBoard> | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: AdminKeyVerifier,
    private readonly queues: QueueDirectory,
    @InjectQueue(ADMIN_REPLAY_QUEUE) private readonly replayQueue: Queue,
    @InjectQueue(RECONCILIATION_QUEUE) private readonly reconciliationQueue: Queue,
    @Inject(ThrottlerStorage) private readonly throttler: ThrottlerStorage,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly audit: AdminAuditLog,
  ) {}

  onModuleInit(): void {
    const serverAdapter = new BullBoardFastifyAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    this.board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: 'Hookwise queues' } } });
    const verifier = this.verifier;
    const { ADMIN_THROTTLE_LIMIT: limit, ADMIN_THROTTLE_TTL_MS: ttl } = this.config;
    const throttler = this.throttler;
    const audit = this.audit;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
          const { isBlocked, timeToBlockExpire } = await throttler.increment(`${BULL_BOARD_PATH}:${request.ip}`, ttl, limit, ttl, 'default');
          if (isBlocked) {
            await reply
              .code(429)
              .header('retry-after', String(timeToBlockExpire))
              .send({ statusCode: 429, error: 'too_many_requests', message: 'too many admin requests (ADMIN_THROTTLE_LIMIT)' });
            return;
          }
          const keyFingerprint = verifier.authenticate(request.headers, { allowBasic: true });
          if (keyFingerprint !== null) {
            if (!READ_ONLY_METHODS.has(request.method)) {
              await audit.record({ keyFingerprint, action: 'queues.change', target: `${request.method} ${request.url.split('?')[0]}` });
            }
            return;
          }
          await reply
            .code(401)
            .header('www-authenticate', 'Basic realm="hookwise-admin", charset="UTF-8"')
            .send({ statusCode: 401, error: 'unauthorized', message: 'a valid admin API key is required: Authorization: Bearer <key>' });
        });
        await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
      },
    );
  }

  onApplicationBootstrap(): void {
    const queues = [...this.queues.all().map(({ queue }) => queue), this.replayQueue, this.reconciliationQueue];
    this.board?.replaceQueues(queues.map((queue) => new BullMQAdapter(queue)));
  }
}
