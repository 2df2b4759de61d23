import { Injectable } from '@nestjs/common';
import { AgentRunStatus, Prisma, type AgentRun, type WebhookEvent } from '../../generated/prisma/client.js';
import { PrismaService } from '../ledger/prisma.service.js';
import type { HandleOptions } from '../queue/event-handler.js';
import { runCostUsd, type TokenCounts } from './model-pricing.js';
import { storedError } from '../ledger/stored-error.js';

const MAX_TEXT_LENGTH = 100_000;

export interface RunEnding {
  status: typeof AgentRunStatus.SUCCEEDED | typeof AgentRunStatus.FAILED;
  stopReason: string | null;
  iterations: number;
  tokens: TokenCounts;
  latencyMs: number;
  finalText?: string | null;
  answer?: unknown;
  error?: string | null;
}

/** The agent_runs table: one row per agent invocation, with its tokens, cost and outcome. */
@Injectable()
export class AgentRunLedger {
  constructor(private readonly prisma: PrismaService) {}

  start(event: Pick<WebhookEvent, 'id'>, agent: string, model: string, options: HandleOptions = {}): Promise<AgentRun> {
    return this.prisma.agentRun.create({
      data: { eventId: event.id, agent, model, dryRun: options.dryRun ?? false, replayId: options.replayId ?? null },
    });
  }

  finish(runId: string, model: string, ending: RunEnding): Promise<AgentRun> {
    const cost = runCostUsd(model, ending.tokens);
    return this.prisma.agentRun.update({
      where: { id: runId },
      data: {
        status: ending.status,
        stopReason: ending.stopReason,
        iterations: ending.iterations,
        ...ending.tokens,
        costUsd: cost === null ? null : new Prisma.Decimal(cost),
        latencyMs: ending.latencyMs,
        finalText: ending.finalText ? ending.finalText.slice(0, MAX_TEXT_LENGTH) : null,
        answer: ending.answer === undefined ? Prisma.DbNull : (ending.answer as Prisma.InputJsonValue),
        error: ending.error ? storedError(ending.error) : null,
        finishedAt: new Date(),
      },
    });
  }

  skipped(event: Pick<WebhookEvent, 'id'>, agent: string, model: string, reason: string, options: HandleOptions = {}): Promise<AgentRun> {
    const now = new Date();
    return this.prisma.agentRun.create({
      data: {
        eventId: event.id,
        agent,
        model,
        status: AgentRunStatus.SKIPPED,
        stopReason: reason,
        dryRun: options.dryRun ?? false,
        replayId: options.replayId ?? null,
        latencyMs: 0,
        startedAt: now,
        finishedAt: now,
      },
    });
  }
}
