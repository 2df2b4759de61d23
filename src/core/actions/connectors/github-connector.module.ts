import { Module } from '@nestjs/common';
import { GithubConnector } from './github.connector.js';
import { GithubPostIssueCommentTool } from './github-post-issue-comment.tool.js';

/** GitHub REST connector and its tools (imported by ActionsModule, so every role has them). */
@Module({
  providers: [GithubConnector, GithubPostIssueCommentTool],
  exports: [GithubConnector],
})
export class GithubConnectorModule {}
