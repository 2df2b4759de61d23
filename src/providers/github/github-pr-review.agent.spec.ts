import { describe, expect, it } from 'vitest';
import { AUTOMATED_REVIEW_MARKER, GithubPrReviewAgent } from './github-pr-review.agent.js';

describe('GithubPrReviewAgent.comment', () => {
  const agent = new GithubPrReviewAgent();
  const pr = { repository: 'o/r', number: 7, headSha: 'abcdef0123456789abcdef0123456789abcdef01' };

  it('renders an automated comment with Findings and Suggestions even when both are empty', () => {
    const body = agent.comment({ summary: 'Looks fine.', findings: [], suggestions: [] }, pr, { truncated: false, bytes: 10, reviewedBytes: 10 }, 'claude-x');
    expect(body.split('\n').slice(0, 3)).toEqual([
      AUTOMATED_REVIEW_MARKER,
      '## Automated review of abcdef0',
      '_Written by an AI agent (Hookwise, claude-x); it can be wrong. A human review still decides._',
    ]);
    expect(body).toContain('### Findings\n- No findings.\n\n### Suggestions\n- None.');
  });

  it('rejects an answer without the required sections through its schema', () => {
    expect(agent.definition.answer!.safeParse({ summary: 'x', findings: [] }).success).toBe(false);
  });
});
