import type { SlackEnvelope } from './slack-payload.schema.js';
import type { SlackTodoKeywords } from './slack-todo-keywords.js';

/** The metadata type the Slack connector puts on every message it posts (see SlackConnector). */
export const HOOKWISE_MESSAGE_METADATA = 'hookwise_action';

/**
 * Why an event_callback needs no work, or null when the TODO agent should look at it. Decided on
 * the payload alone, at ingest: such an event is recorded IGNORED and never enqueued. Our own
 * messages come first (`self_caused`), so that a reply we posted never starts a run.
 */
export function slackIgnoreReason(envelope: SlackEnvelope, keywords: SlackTodoKeywords): string | null {
  const event = envelope.event!;
  const selfCaused = selfCausedReason(envelope);
  if (selfCaused) return selfCaused;
  if (event.type !== 'message') return `unhandled event type: ${event.type}`;
  if (event.subtype === 'message_changed') return 'edited message: only new messages become tasks';
  if (event.subtype === 'message_deleted') return 'deleted message';
  if (event.subtype === 'thread_broadcast') return 'thread broadcast: only new messages become tasks';
  if (event.bot_id || event.subtype === 'bot_message') return 'bot message: only people’s messages become tasks';
  if (event.subtype) return `message subtype ${event.subtype}: only plain messages become tasks`;
  if (!event.user || !event.channel || !event.ts) return 'message without user, channel or ts';
  if (!keywords.match(event.text ?? '')) return 'no TODO keyword in the message';
  return null;
}

/** `self_caused: …` when our own app posted this (its app id, or the marker our messages carry), else null. */
export function selfCausedReason(envelope: SlackEnvelope): string | null {
  const event = envelope.event!;
  const nested = (event as { message?: { app_id?: string; metadata?: { event_type?: string } } }).message;
  const marker = event.metadata?.event_type ?? nested?.metadata?.event_type;
  if (marker === HOOKWISE_MESSAGE_METADATA) return 'self_caused: the message carries a Hookwise action marker';
  const appId = event.app_id ?? nested?.app_id;
  if (appId && envelope.api_app_id && appId === envelope.api_app_id) return 'self_caused: posted by this Slack app';
  return null;
}
