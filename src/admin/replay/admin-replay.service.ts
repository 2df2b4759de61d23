import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { AgentReplayService } from '../../core/agents/agent-replay.service.js';
import { ReplayFailedError } from '../../core/agents/replay-failed.error.js';
import { PrismaService } from '../../core/database/prisma.service.js';
import { AdminAuditLog } from '../audit/admin-audit-log.js';
import { AgentActionDto } from '../events/dto/agent-action.dto.js';
import { AgentRunDto } from '../events/dto/agent-run.dto.js';
import { searchFilters } from '../events/admin-events.service.js';
import { EventSearch } from '../events/event-search.js';
import { ADMIN_REPLAY_JOB, ADMIN_REPLAY_QUEUE, type AdminReplayJobData } from './admin-replay-job.js';
import type { BulkReplayRequestDto } from './dto/bulk-replay-request.dto.js';
import type { BulkReplayResultDto } from './dto/bulk-replay-result.dto.js';
import type { ReplayRequestDto } from './dto/replay-request.dto.js';
import type { ReplayResultDto } from './dto/replay-result.dto.js';
import { replayFailureResponse } from './replay-failure-response.js';

/**
 * Admin replays. One event is replayed at once, through the agent runtime's AgentReplayService
 * (which owns what a replay means: dry run, repeated actions, keys); the answer shows the runs and
 * actions that replay recorded. A bulk replay puts one job per matching event on the admin-replays
 * queue and answers with the count.
 */
@Injectable()
export class AdminReplayService {
  constructor(
    private readonly replays: AgentReplayService,
    private readonly prisma: PrismaService,
    private readonly search: EventSearch,
    private readonly audit: AdminAuditLog,
    @InjectQueue(ADMIN_REPLAY_QUEUE) private readonly queue: Queue<AdminReplayJobData>,
  ) {}

  async replayOne(eventId: string, request: ReplayRequestDto, keyFingerprint: string): Promise<ReplayResultDto> {
    await this.audit.record({ keyFingerprint, action: 'event.replay', target: eventId, details: { dryRun: request.dryRun, repeatActions: request.repeatActions } });
    const result = await this.replays.replay(eventId, { dryRun: request.dryRun, repeatActions: request.repeatActions }).catch((err: unknown) => {
      throw err instanceof ReplayFailedError ? replayFailureResponse(err) : err;
    });
    const runs = await this.prisma.agentRun.findMany({ where: { replayId: result.replayId }, orderBy: { startedAt: 'asc' } });
    const actions = runs.length
      ? await this.prisma.agentAction.findMany({ where: { runId: { in: runs.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } })
      : [];
    return {
      replayId: result.replayId,
      eventId,
      handler: result.handler,
      dryRun: request.dryRun,
      repeatActions: request.repeatActions,
      outcome: result.outcome.status === 'ignored' ? { status: 'ignored', reason: result.outcome.reason } : { status: 'succeeded' },
      eventStatus: result.eventStatus,
      agentRuns: runs.map((r) => AgentRunDto.fromModel(r)),
      actions: actions.map((a) => AgentActionDto.fromModel(a)),
    };
  }

  async replayMany(request: BulkReplayRequestDto, keyFingerprint: string): Promise<BulkReplayResultDto> {
    const batchId = randomUUID();
    const events = await this.search.ids(searchFilters(request), request.max);
    const { max, dryRun, repeatActions, ...filters } = request;
    await this.audit.record({
      keyFingerprint,
      action: 'events.replay',
      target: batchId,
      details: { filters: JSON.parse(JSON.stringify(filters)), max, dryRun, repeatActions, matched: events.length },
    });
    try {
      await this.queue.addBulk(
        events.map((e) => ({
          name: ADMIN_REPLAY_JOB,
          data: { eventId: e.id, batchId, dryRun, repeatActions, requestedBy: keyFingerprint, replayId: randomUUID() },
          // One attempt: a retried replay would be a second replay (with repeatActions, a second side effect).
          opts: { jobId: `${batchId}-${e.id}`, attempts: 1, removeOnComplete: { count: 10_000 }, removeOnFail: { count: 10_000 } },
        })),
      );
    } catch (err) {
      throw new ServiceUnavailableException({ statusCode: 503, error: 'queue_unavailable', message: `could not queue the replays: ${(err as Error).message}` });
    }
    return { batchId, queued: events.length, dryRun, repeatActions };
  }
}
