import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { type AgentDefinition, SUBJECT_HISTORY_TOOL } from '../../core/index.js';
import { GithubPostIssueCommentTool } from '../../connectors/github/github-post-issue-comment.tool.js';

// The answer's schema goes to the API as the output format (structured outputs); the descriptions are what the model reads about each field.
const review = z.strictObject({
  summary: z.string().min(1).max(2000).describe('What the pull request does and your overall verdict, in a few sentences.'),
  findings: z
    .array(
      z.strictObject({
        severity: z.enum(['critical', 'high', 'medium', 'low']),
        category: z.enum(['security', 'error-handling', 'bug', 'performance', 'other']),
        file: z.string().max(500).optional().describe('Path of the file, as in the diff.'),
        line: z.number().int().positive().optional().describe('Line in the new version of the file.'),
        title: z.string().min(1).max(300).describe('One line naming the problem.'),
        detail: z.string().min(1).max(4000).describe('Why it is a problem and how to fix it.'),
      }),
    )
    .max(50)
    .describe('Problems the diff shows, most severe first; empty when there are none.'),
  suggestions: z.array(z.string().min(1).max(2000)).max(30).describe('Optional improvements that are not problems.'),
});
export type PullRequestReview = z.infer<typeof review>;

/** What the review reads of a pull_request payload. */
export interface PullRequestPayload {
  repository: { full_name: string };
  pull_request: { number: number; title?: string; body?: string | null; draft?: boolean; user?: { login?: string }; head: { sha: string; ref?: string }; base?: { ref?: string } };
}

export interface ReviewedPullRequest {
  repository: string;
  number: number;
  headSha: string;
}

export interface DiffExtent {
  truncated: boolean;
  /** Size of the whole diff, in bytes. */
  bytes: number;
  /** How much of it the model saw, in bytes. */
  reviewedBytes: number;
}

/** Marks our comments, so people (and scripts) can tell them from human reviews. */
export const AUTOMATED_REVIEW_MARKER = '<!-- hookwise:automated-pr-review -->';

/** The PR review agent: what Claude is asked, the answer it must give, and the comment made of it. */
@Injectable()
export class GithubPrReviewAgent {
  readonly definition: AgentDefinition<PullRequestReview> = {
    name: 'github-pr-review',
    system: [
      'You are a senior engineer reviewing a GitHub pull request.',
      'Focus on security issues, missing error handling, bugs and performance problems; skip style nits.',
      'Only report what the diff shows; say so when the diff is truncated and something may lie beyond it.',
      `You may call ${SUBJECT_HISTORY_TOOL} to see recent events of the same repository.`,
    ].join('\n'),
    tools: [SUBJECT_HISTORY_TOOL],
    // The comment is posted by the handler's exactly-once step, never by the model itself.
    stepTools: [GithubPostIssueCommentTool.NAME],
    answer: review,
  };

  task(pr: ReviewedPullRequest, diff: DiffExtent): string {
    const extent = diff.truncated
      ? `The diff is ${diff.bytes} bytes; you see only its first ${diff.reviewedBytes} bytes.`
      : `The diff is complete (${diff.bytes} bytes).`;
    return `Review pull request ${pr.repository}#${pr.number} at commit ${pr.headSha}. ${extent} The pull request and its diff follow.`;
  }

  /** The untrusted data blocks the model reads: the pull request as its author wrote it, and the diff (perhaps cut). */
  data({ pull_request: p }: PullRequestPayload, diff: string): Record<string, unknown> {
    return { pull_request: { title: p.title, body: p.body, author: p.user?.login, draft: p.draft, head: p.head.ref, base: p.base?.ref }, diff };
  }

  /** The one comment posted on the pull request. */
  comment(answer: PullRequestReview, pr: ReviewedPullRequest, diff: DiffExtent, model: string): string {
    const findings = answer.findings.length
      ? answer.findings.map((f) => {
          const where = f.file ? ` \`${f.file}${f.line ? `:${f.line}` : ''}\`` : '';
          return `- **${f.severity}** (${f.category})${where}: **${f.title}**. ${f.detail}`;
        })
      : ['- No findings.'];
    const suggestions = answer.suggestions.length ? answer.suggestions.map((s) => `- ${s}`) : ['- None.'];
    return [
      AUTOMATED_REVIEW_MARKER,
      `## Automated review of ${pr.headSha.slice(0, 7)}`,
      `_Written by an AI agent (Hookwise, ${model}); it can be wrong. A human review still decides._`,
      '',
      ...(diff.truncated
        ? [`> **Note:** the diff is ${diff.bytes} bytes; only the first ${diff.reviewedBytes} bytes were reviewed.`, '']
        : []),
      answer.summary,
      '',
      '### Findings',
      ...findings,
      '',
      '### Suggestions',
      ...suggestions,
    ].join('\n');
  }
}
