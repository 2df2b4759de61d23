import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventStatus } from '../../generated/prisma/client.js';
import { EventLedger } from '../events/event-ledger.js';
import type { HandlerOutcome } from '../processing/event-handler.js';
import { EventHandlerRegistry } from '../processing/event-handler.registry.js';
import { ReplayFailedError } from './replay-failed.error.js';

export interface ReplayRequest {
  /** Record every action as DRY_RUN: see what the agent would do today, touch nothing. */
  dryRun?: boolean;
  /** Execute actions again even where this event (or the same commit) already caused them. */
  repeatActions?: boolean;
  /** The replay's id when the caller chose it already (a bulk replay's job); a new one otherwise. */
  replayId?: string;
}

export interface ReplayResult {
  replayId: string;
  eventId: string;
  handler: string;
  outcome: HandlerOutcome;
  /** The event's ledger status after the replay. */
  eventStatus: EventStatus;
}

/**
 * Re-runs an event's handler (and so its agent) on demand, for the admin API. Without flags a
 * replay is safe by construction: actions already executed are found by their keys and not
 * repeated. The replay leaves its own AgentRun (with replay_id) and action rows. A DEAD event
 * that a replay (not a dry run) handles is resolved: SUCCEEDED or IGNORED, with the replay named in
 * its status reason. Other statuses are left as they are: a queued or retrying event still has a
 * job that will run it, and a finished one stays finished. A handler that throws makes it a
 * ReplayFailedError (naming the replay) and changes no status.
 */
@Injectable()
export class AgentReplayService {
  constructor(
    private readonly events: EventLedger,
    private readonly handlers: EventHandlerRegistry,
  ) {}

  async replay(eventId: string, request: ReplayRequest = {}): Promise<ReplayResult> {
    const event = await this.events.findById(eventId);
    if (!event) throw new NotFoundException({ statusCode: 404, error: 'not_found', message: `no event with id ${eventId}` });
    const handler = this.handlers.find(event.provider, event.eventType);
    if (!handler) {
      throw new UnprocessableEntityException({ statusCode: 422, error: 'no_handler', message: `no handler in this process for ${event.provider} event ${event.eventType}` });
    }
    const replayId = request.replayId ?? randomUUID();
    const outcome = await handler
      .handle(event, event.attempts, { replayId, dryRun: request.dryRun ?? false, repeatActions: request.repeatActions ?? false })
      .catch((err: unknown) => Promise.reject(new ReplayFailedError(replayId, err)));
    const result = outcome ?? { status: 'succeeded' as const };
    let eventStatus = event.status;
    if (event.status === EventStatus.DEAD && !request.dryRun) {
      const status = result.status === 'ignored' ? EventStatus.IGNORED : EventStatus.SUCCEEDED;
      const reason = result.status === 'ignored' ? `resolved by replay ${replayId}: ${result.reason}` : `resolved by replay ${replayId}`;
      if (await this.events.resolveDeadByReplay(eventId, status, reason)) eventStatus = status;
    }
    return { replayId, eventId, handler: handler.name, outcome: result, eventStatus };
  }
}
