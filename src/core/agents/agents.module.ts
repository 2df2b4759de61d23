import { Global, Module } from '@nestjs/common';
import { AgentReplayService } from './agent-replay.service.js';
import { AgentRunLedger } from './agent-run-ledger.js';
import { AgentRunOwner } from './agent-run-owner.js';
import { AgentRunner } from './agent-runner.js';
import { InterruptedRunSweeper } from './interrupted-run-sweeper.js';
import { SubjectHistory } from './subject-history.js';

/** The Claude agent runtime: runner, run ledger (and its interrupted runs), subject history and replays. */
@Global()
@Module({
  providers: [AgentRunner, AgentRunLedger, AgentRunOwner, InterruptedRunSweeper, SubjectHistory, AgentReplayService],
  exports: [AgentRunner, SubjectHistory, AgentReplayService],
})
export class AgentsModule {}
