import { Global, Module } from '@nestjs/common';
import { AgentReplayService } from './agent-replay.service.js';
import { AgentRunLedger } from './agent-run-ledger.js';
import { AgentRunOwner } from './agent-run-owner.js';
import { AgentRunner } from './agent-runner.js';
import { ExactlyOnceStep } from './exactly-once-step.js';
import { InterruptedRunSweeper } from './interrupted-run-sweeper.js';
import { SubjectHistory } from './subject-history.js';

/**
 * The Claude agent runtime: runner, run ledger (and its interrupted runs), subject history, replays,
 * and the ExactlyOnceStep handlers build agent work on.
 */
@Global()
@Module({
  providers: [AgentRunner, AgentRunLedger, AgentRunOwner, InterruptedRunSweeper, SubjectHistory, AgentReplayService, ExactlyOnceStep],
  exports: [AgentRunner, SubjectHistory, AgentReplayService, ExactlyOnceStep],
})
export class AgentsModule {}
