import type { EventStatus, WebhookEvent } from '../../src/generated/prisma/client.js';
import type { PrismaService } from '../../src/core/database/prisma.service.js';
import { waitFor } from './wait-for.js';

/** The event's ledger row, once its status is one of `statuses` (by default, a finished one). */
export function eventSettled(
  prisma: Pick<PrismaService, 'webhookEvent'>,
  id: string,
  statuses: EventStatus[] = ['SUCCEEDED', 'IGNORED', 'DEAD'],
): Promise<WebhookEvent> {
  return waitFor(`event ${id} to settle`, async () => {
    const row = await prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
    return statuses.includes(row.status) ? row : null;
  });
}
