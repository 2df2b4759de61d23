import { AUTOMATED_REVIEW_MARKER } from './github-pr-review.agent.js';

/** The invisible marker the GitHub connector puts on every comment an action posts (see GithubConnector). */
const ACTION_MARKER = '<!-- hookwise-action:';

/**
 * `self_caused: …` when the event is about a comment Hookwise posted (it carries our action marker
 * or the automated review's), else null: such an event comes back to us as `issue_comment` (or a
 * review comment) and must never start work of its own. Decided on the payload alone, at ingest; the
 * comment's id against the action ledger's external ids is checked by GithubOwnCommentHandler.
 */
export function githubSelfCausedReason(event: string, payload: object): string | null {
  if (!COMMENT_EVENTS.has(event)) return null;
  const body = (payload as { comment?: { body?: unknown } }).comment?.body;
  if (typeof body !== 'string') return null;
  if (body.includes(ACTION_MARKER) || body.includes(AUTOMATED_REVIEW_MARKER)) return `self_caused: ${event} on a comment Hookwise posted`;
  return null;
}

const COMMENT_EVENTS = new Set(['issue_comment', 'pull_request_review_comment', 'commit_comment', 'discussion_comment']);
