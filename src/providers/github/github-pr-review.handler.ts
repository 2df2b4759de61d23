import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import type { AgentAction, WebhookEvent } from '../../generated/prisma/client.js';
import { ActionInFlightError } from '../../core/processing/action-in-flight.error.js';
import { ActionService } from '../../core/actions/action.service.js';
import { GithubConnector } from '../../connectors/github/github.connector.js';
import { GithubPostIssueCommentTool } from '../../connectors/github/github-post-issue-comment.tool.js';
import { AgentRunner } from '../../core/agents/agent-runner.js';
import { truncateUtf8 } from '../../core/agents/truncate-utf8.js';
import { WebhookEventHandler, type HandleOptions, type HandlerOutcome } from '../../core/processing/event-handler.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';
import { GithubPrReviewAgent, type ReviewedPullRequest } from './github-pr-review.agent.js';
import { GITHUB } from './github-webhook.provider.js';
import { GithubConfig } from './github.config.js';

const REVIEWED_ACTIONS = new Set(['pull_request.opened', 'pull_request.reopened', 'pull_request.synchronize']);

interface PullRequestPayload {
  repository: { full_name: string };
  pull_request: { number: number; title?: string; body?: string | null; draft?: boolean; user?: { login?: string }; head: { sha: string; ref?: string }; base?: { ref?: string } };
}

/**
 * Reviews a pull request once per head commit: fetch the diff, ask the agent, post one comment.
 * The comment's key is repository + PR number + head sha, so a redelivery, a retried job or a
 * `synchronize` that did not move the head never reviews the same commit twice.
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
    private readonly runner: AgentRunner,
    private readonly actions: ActionService,
    private readonly github: GithubConnector,
  ) {}

  handles(eventType: string): boolean {
    return REVIEWED_ACTIONS.has(eventType);
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const payload = event.payload as unknown as PullRequestPayload;
    const pr: ReviewedPullRequest = {
      repository: payload.repository.full_name,
      number: payload.pull_request.number,
      headSha: payload.pull_request.head.sha,
    };
    const reviewKey = `github-pr-review:${pr.repository}#${pr.number}@${pr.headSha}`;
    const fresh = options.repeatActions || options.dryRun;

    const previous = fresh ? null : await this.actions.findByKey(reviewKey);
    if (previous && this.worthRedoing(previous)) {
      // The review exists; only posting it failed (or could not happen): post the stored comment, skip the model.
      return this.post(event, previous.runId, previous.arguments, reviewKey, options);
    }
    if (previous) {
      if (previous.eventId === event.id) return this.doneUnlessInFlight(previous);
      const commit = `${pr.repository}#${pr.number} at ${pr.headSha.slice(0, 7)}`;
      return { status: 'ignored', reason: `${commit} was already reviewed (event ${previous.eventId}, comment ${previous.status})` };
    }
    if (this.runner.disabledReason) {
      await this.runner.recordSkipped(event, this.agent.definition, options);
      return { status: 'ignored', reason: `agents are off: ${this.runner.disabledReason}` };
    }

    const [owner, repo] = pr.repository.split('/');
    const fullDiff = await this.github.pullRequestDiff(owner, repo, pr.number);
    const cut = truncateUtf8(fullDiff, this.settings.PR_REVIEW_MAX_DIFF_BYTES);
    const extent = { truncated: cut.truncated, bytes: cut.bytes, reviewedBytes: Buffer.byteLength(cut.text) };
    const { pull_request: p } = payload;
    const result = await this.runner.run({
      event,
      agent: this.agent.definition,
      task: this.agent.task(pr, extent),
      data: {
        pull_request: { title: p.title, body: p.body, author: p.user?.login, draft: p.draft, head: p.head.ref, base: p.base?.ref },
        diff: cut.text,
      },
      options,
    });

    const body = this.agent.comment(result.answer!, pr, extent, this.config.ANTHROPIC_MODEL);
    return this.post(event, result.runId, { owner, repo, issue_number: pr.number, body }, reviewKey, options);
  }

  private async post(event: WebhookEvent, runId: string | null, args: unknown, reviewKey: string, options: HandleOptions): Promise<HandlerOutcome> {
    const outcome = await this.actions.execute({
      eventId: event.id,
      runId,
      agent: this.agent.definition.name,
      allowedTools: [GithubPostIssueCommentTool.NAME],
      tool: GithubPostIssueCommentTool.NAME,
      args,
      dedupeKey: reviewKey,
      dryRun: options.dryRun,
      replayId: options.repeatActions || options.dryRun ? options.replayId : undefined,
    });
    if (outcome.kind === 'invalid_arguments') throw new PermanentError(`review comment rejected by the tool schema: ${outcome.error}`);
    if (outcome.action.status === 'FAILED') {
      const message = `posting the review failed: ${outcome.action.error}`;
      if (outcome.retryAfterMs !== undefined) throw new RateLimitedError(message, outcome.retryAfterMs);
      throw outcome.permanent ? new PermanentError(message) : new Error(message);
    }
    return this.doneUnlessInFlight(outcome.action);
  }

  /** A comment still EXECUTING is not done (ActionInFlightError); its retry looks for its marker before posting. */
  private doneUnlessInFlight(comment: AgentAction): HandlerOutcome {
    if (comment.status === 'EXECUTING') throw new ActionInFlightError('the review comment', comment);
    return { status: 'succeeded' };
  }

  /** A failed post is retried; a dry-run one is redone once GitHub credentials exist. Anything else stands. */
  private worthRedoing(previous: AgentAction): boolean {
    return previous.status === 'FAILED' || (previous.status === 'DRY_RUN' && this.github.unavailableReason() === null);
  }
}
