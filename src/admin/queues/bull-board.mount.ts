import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminKeyVerifier } from '../auth/admin-key-verifier.js';
import { ADMIN_REPLAY_QUEUE } from '../replay/admin-replay-job.js';
import { QueueDirectory } from './queue-directory.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board at /admin/queues inside its own Fastify scope, whose onRequest hook asks for
 * an admin key first. Browsers cannot send a bearer header, so this scope also takes HTTP Basic
 * with the key as the password (any user name) and asks for it with WWW-Authenticate.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit, OnApplicationBootstrap {
  private board: ReturnType<typeof createBullBoard> | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: AdminKeyVerifier,
    private readonly queues: QueueDirectory,
    @InjectQueue(ADMIN_REPLAY_QUEUE) private readonly replayQueue: Queue,
  ) {}

  onModuleInit(): void {
    const serverAdapter = new BullBoardFastifyAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    this.board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: 'Hookwise queues' } } });
    const verifier = this.verifier;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
          if (verifier.authenticate(request.headers, { allowBasic: true }) !== null) return;
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
    const queues = [...this.queues.all().map(({ queue }) => queue), this.replayQueue];
    this.board?.replaceQueues(queues.map((queue) => new BullMQAdapter(queue)));
  }
}
