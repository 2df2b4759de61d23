import { Module } from '@nestjs/common';
import { GithubPostIssueCommentTool } from './github-post-issue-comment.tool.js';
import { GithubResolveSecretScanningAlertTool } from './github-resolve-secret-scanning-alert.tool.js';
import { GithubConnector } from './github.connector.js';

/** GitHub's REST API and its tools: github_post_issue_comment, github_resolve_secret_scanning_alert. */
@Module({
  providers: [GithubConnector, GithubPostIssueCommentTool, GithubResolveSecretScanningAlertTool],
  exports: [GithubConnector],
})
export class GithubConnectorModule {}
