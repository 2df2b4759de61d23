import { Global, Module } from '@nestjs/common';
import { AgentReplayService } from './agent-replay.service.js';
import { AgentRunLedger } from './agent-run-ledger.js';
import { AgentRunOwner } from './agent-run-owner.js';
import { AgentRunner } from './agent-runner.js';
import { EventContinuation } from './event-continuation.js';
import { ExactlyOnceStep } from './exactly-once-step.js';
import { InterruptedRunSweeper } from './interrupted-run-sweeper.js';
import { SubjectHistory } from './subject-history.js';

/**
 * The Claude agent runtime: runner, run ledger (and its interrupted runs), subject history, replays,
 * the continuation of events after decisions on their pending actions, and the ExactlyOnceStep
 * handlers build agent work on.
 */
@Global()
@Module({
  providers: [AgentRunner, AgentRunLedger, AgentRunOwner, InterruptedRunSweeper, SubjectHistory, AgentReplayService, EventContinuation, ExactlyOnceStep],
  exports: [AgentRunner, SubjectHistory, AgentReplayService, ExactlyOnceStep],
})
export class AgentsModule {}
