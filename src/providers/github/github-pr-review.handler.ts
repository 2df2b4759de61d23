import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { GithubConnector } from '../../connectors/github/github.connector.js';
import { GithubPostIssueCommentTool } from '../../connectors/github/github-post-issue-comment.tool.js';
import { ExactlyOnceStep, type HandleOptions, type HandlerOutcome, truncateUtf8, WebhookEventHandler } from '../../core/index.js';
import { GithubPrReviewAgent, type PullRequestPayload, type ReviewedPullRequest } from './github-pr-review.agent.js';
import { GITHUB } from './github-webhook.provider.js';
import { GithubConfig } from './github.config.js';

const REVIEWED_ACTIONS = new Set(['pull_request.opened', 'pull_request.reopened', 'pull_request.synchronize']);

/**
 * Reviews a pull request once per head commit: fetch the diff, ask the agent, post one comment.
 * The comment's key is repository + PR number + head sha, so a redelivery, a retried job or a
 * `synchronize` that did not move the head never reviews the same commit twice (ExactlyOnceStep).
 */
@Injectable()
@WebhookEventHandler()
export class GithubPrReviewHandler implements WebhookEventHandler {
  readonly name = 'github-pr-review';
  readonly provider = GITHUB;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(GithubConfig) private readonly settings: GithubConfig,
    private readonly agent: GithubPrReviewAgent,
    private readonly step: ExactlyOnceStep,
    private readonly github: GithubConnector,
  ) {}

  handles(eventType: string): boolean {
    return REVIEWED_ACTIONS.has(eventType);
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const payload = event.payload as unknown as PullRequestPayload;
    const pr: ReviewedPullRequest = { repository: payload.repository.full_name, number: payload.pull_request.number, headSha: payload.pull_request.head.sha };
    const [owner, repo] = pr.repository.split('/');
    return this.step.run({
      event,
      options,
      key: `github-pr-review:${pr.repository}#${pr.number}@${pr.headSha}`,
      agent: this.agent.definition,
      tool: GithubPostIssueCommentTool.NAME,
      label: 'posting the review',
      alreadyDone: `${pr.repository}#${pr.number} at ${pr.headSha.slice(0, 7)} was already reviewed`,
      produce: async (ask) => {
        const diff = truncateUtf8(await this.github.pullRequestDiff(owner, repo, pr.number), this.settings.PR_REVIEW_MAX_DIFF_BYTES);
        const extent = { truncated: diff.truncated, bytes: diff.bytes, reviewedBytes: Buffer.byteLength(diff.text) };
        const review = await ask(this.agent.task(pr, extent), this.agent.data(payload, diff.text));
        return { owner, repo, issue_number: pr.number, body: this.agent.comment(review, pr, extent, this.config.ANTHROPIC_MODEL) };
      },
    });
  }
}
