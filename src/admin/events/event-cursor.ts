import { BadRequestException } from '@nestjs/common';

/** Position after the last item of a page: newest-first order is (received_at DESC, id DESC). */
export interface EventCursor {
  receivedAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of `v1|<epoch ms>|<id>`. */
export function encodeEventCursor(cursor: EventCursor): string {
  return Buffer.from(`v1|${cursor.receivedAt.getTime()}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeEventCursor(value: string): EventCursor {
  const parts = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const millis = Number(parts[1]);
  if (parts.length !== 3 || parts[0] !== 'v1' || !Number.isSafeInteger(millis) || !UUID.test(parts[2])) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'invalid_parameter',
      parameters: ['cursor'],
      message: ['cursor is not a cursor returned by this API'],
    });
  }
  return { receivedAt: new Date(millis), id: parts[2] };
}
