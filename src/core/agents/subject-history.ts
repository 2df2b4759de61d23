import { Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { truncateUtf8 } from './truncate-utf8.js';

/** Name of the built-in read-only tool AgentRunner offers for it. */
export const SUBJECT_HISTORY_TOOL = 'subject_history';
export const SUBJECT_HISTORY_MAX_EVENTS = 20;
const DEFAULT_EVENTS = 10;
const MAX_BYTES = 16_000;
const PAYLOAD_EXCERPT_BYTES = 600;

export interface SubjectHistoryEntry {
  id: string;
  provider: string;
  eventType: string;
  status: string;
  statusReason: string | null;
  receivedAt: string;
  /** The start of the payload, so the model can tell events apart; not the whole payload. */
  payloadExcerpt: string;
}

/**
 * Earlier ledger events about the same subject (repository, customer, lead...), newest first,
 * capped in count and in bytes, so an agent can say "this is the third failed payment this month".
 */
@Injectable()
export class SubjectHistory {
  constructor(private readonly prisma: PrismaService) {}

  async recent(event: Pick<WebhookEvent, 'id' | 'subject' | 'receivedAt'>, limit = DEFAULT_EVENTS): Promise<SubjectHistoryEntry[]> {
    if (!event.subject) return [];
    const rows = await this.prisma.webhookEvent.findMany({
      // Across providers: the same customer or repository may arrive from several of them.
      where: { subject: event.subject, id: { not: event.id }, receivedAt: { lte: event.receivedAt } },
      orderBy: { receivedAt: 'desc' },
      take: Math.min(Math.max(1, limit), SUBJECT_HISTORY_MAX_EVENTS),
    });
    const entries: SubjectHistoryEntry[] = [];
    let bytes = 2;
    for (const row of rows) {
      const entry: SubjectHistoryEntry = {
        id: row.id,
        provider: row.provider,
        eventType: row.eventType,
        status: row.status,
        statusReason: row.statusReason,
        receivedAt: row.receivedAt.toISOString(),
        payloadExcerpt: excerpt(JSON.stringify(row.payload)),
      };
      bytes += Buffer.byteLength(JSON.stringify(entry)) + 1;
      if (bytes > MAX_BYTES) break;
      entries.push(entry);
    }
    return entries;
  }
}

function excerpt(json: string): string {
  const cut = truncateUtf8(json, PAYLOAD_EXCERPT_BYTES);
  return cut.truncated ? `${cut.text}…` : cut.text;
}
