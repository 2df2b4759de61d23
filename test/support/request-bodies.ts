import { admin } from './admin-client.js';
import { sample } from './prometheus-sample.js';
import type { TestApp } from './test-app.js';
import { waitFor } from './wait-for.js';

/** Waits until the server holds exactly `bytes` of request bodies in flight (counted and given back asynchronously to the test). */
export function bodyBytesInFlight(t: TestApp, bytes: number): Promise<boolean> {
  return waitFor(`${bytes} bytes of request bodies in flight`, async () => sample((await admin<string>(t.url, '/metrics')).body, 'hookwise_request_body_bytes_in_flight') === bytes);
}

/** Ledger rows stored for a delivery (0 or 1). */
export function storedDeliveries(t: TestApp, delivery: { deliveryId: string }): Promise<number> {
  return t.prisma.webhookEvent.count({ where: { deliveryId: delivery.deliveryId } });
}
