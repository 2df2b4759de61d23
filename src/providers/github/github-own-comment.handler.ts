import { Injectable } from '@nestjs/common';
import { githubCommentId } from '../../connectors/github/github.connector.js';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { ActionService, type HandlerOutcome, WebhookEventHandler } from '../../core/index.js';
import { githubSelfCausedReason } from './github-self-caused.js';
import { GITHUB } from './github-webhook.provider.js';

/**
 * `issue_comment` events. No agent acts on comments; what matters is telling our own output from a
 * person's. The comment id is the primary signal: an executed action recorded it (`github:comment:<id>`
 * in agent_actions.external_ids), which holds even for a comment that came back without our marker
 * (edited, or posted before markers existed). The marker is checked too, at ingest (such an event is
 * recorded IGNORED without being enqueued) and here again for replays.
 */
@Injectable()
@WebhookEventHandler()
export class GithubOwnCommentHandler implements WebhookEventHandler {
  readonly name = 'github-own-comment';
  readonly provider = GITHUB;

  constructor(private readonly actions: ActionService) {}

  handles(eventType: string): boolean {
    return eventType.startsWith('issue_comment.');
  }

  async handle(event: WebhookEvent): Promise<HandlerOutcome> {
    const payload = (event.payload ?? {}) as { comment?: { id?: unknown } };
    const commentId = payload.comment?.id;
    if (typeof commentId === 'number' || (typeof commentId === 'string' && commentId !== '')) {
      const ours = await this.actions.findByExternalId(githubCommentId(commentId));
      if (ours) return { status: 'ignored', reason: `self_caused: issue_comment on comment ${commentId}, posted by action ${ours.id} (${ours.tool}, event ${ours.eventId})` };
    }
    const marked = githubSelfCausedReason('issue_comment', payload);
    if (marked) return { status: 'ignored', reason: marked };
    return { status: 'ignored', reason: 'a person’s comment: no agent acts on issue comments' };
  }
}
