import { Module } from '@nestjs/common';
import { GithubPostIssueCommentTool } from './github-post-issue-comment.tool.js';
import { GithubConnector } from './github.connector.js';

/** GitHub's REST API and the github_post_issue_comment tool. */
@Module({
  providers: [GithubConnector, GithubPostIssueCommentTool],
  exports: [GithubConnector],
})
export class GithubConnectorModule {}
