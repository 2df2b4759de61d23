import { Global, Module } from '@nestjs/common';
import { AgentReplayService } from './agent-replay.service.js';
import { AgentRunLedger } from './agent-run-ledger.js';
import { AgentRunner } from './agent-runner.js';
import { SubjectHistory } from './subject-history.js';

/** The Claude agent runtime: runner, run ledger, subject history and replays. */
@Global()
@Module({
  providers: [AgentRunner, AgentRunLedger, SubjectHistory, AgentReplayService],
  exports: [AgentRunner, SubjectHistory, AgentReplayService],
})
export class AgentsModule {}
