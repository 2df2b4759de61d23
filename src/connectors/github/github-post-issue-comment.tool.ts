import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { githubOwner, githubRepo } from './github-names.js';
import { GithubConnector, githubCommentId, type PostedGithubComment } from './github.connector.js';

// GitHub refuses comments over 65,536 characters; the connector appends its ~50-character action marker.
const MAX_BODY = 65_400;

const input = z.strictObject({
  owner: githubOwner.describe('Repository owner (user or organisation login).'),
  repo: githubRepo.describe('Repository name.'),
  issue_number: z.number().int().positive().describe('Issue or pull request number.'),
  body: z.string().min(1).max(MAX_BODY).describe('Comment text (GitHub Markdown).'),
});

/** `github_post_issue_comment`: one comment on an issue or pull request. */
@Injectable()
@AgentTool()
export class GithubPostIssueCommentTool implements AgentTool<typeof input> {
  static readonly NAME = 'github_post_issue_comment';
  readonly name = GithubPostIssueCommentTool.NAME;
  readonly description = 'Post a comment on a GitHub issue or pull request.';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(GithubConnector) private readonly github: GithubConnector) {}

  unavailableReason(): string | null {
    return this.github.unavailableReason();
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<PostedGithubComment> {
    const a = parseToolArgs(this.name, input, args);
    return this.github.createIssueComment(a.owner, a.repo, a.issue_number, a.body, context);
  }

  /** The comment posted (or found from an earlier attempt): `github:comment:<id>`. */
  externalIds(result: PostedGithubComment): string[] {
    return typeof result.id === 'number' ? [githubCommentId(result.id)] : [];
  }
}
