import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EventStatus, Prisma } from '../../src/generated/prisma/client.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { PrismaService } from '../../src/core/database/prisma.service.js';
import { resetLedger, startTestApp, type TestApp } from './test-app.js';

export const ADMIN_KEY = 'test-admin-key-Alpha-1';
export const SECOND_ADMIN_KEY = 'test-admin-key-Bravo-2';

export interface AdminResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the admin API with a key (ADMIN_KEY unless another, or null for none, is given). */
export async function admin<T = any>(
  baseUrl: string,
  path: string,
  options: { method?: string; body?: unknown; key?: string | null; authorization?: string } = {},
): Promise<AdminResponse<T>> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (key !== null) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics, HTML)
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export interface SeedEvent {
  provider?: string;
  eventType?: string;
  status?: EventStatus;
  subject?: string | null;
  receivedAt: Date;
  processedAt?: Date | null;
  deliveryId?: string;
  payload?: Prisma.InputJsonValue;
  id?: string;
}

/** Writes ledger rows directly, with chosen timestamps and statuses (what ingest cannot do on demand). */
export async function seedEvents(prisma: PrismaService, events: SeedEvent[]): Promise<string[]> {
  const rows = events.map((e) => ({
    id: e.id ?? uuidv7(),
    provider: e.provider ?? 'github',
    deliveryId: e.deliveryId ?? randomUUID(),
    eventType: e.eventType ?? 'push',
    subject: e.subject === undefined ? 'octo-org/hello-world' : e.subject,
    status: e.status ?? 'SUCCEEDED',
    payload: e.payload ?? { seeded: true },
    receivedAt: e.receivedAt,
    processedAt: e.processedAt ?? null,
  }));
  await prisma.webhookEvent.createMany({ data: rows });
  return rows.map((r) => r.id);
}

/**
 * Registers the hooks of a describe block that talks to the admin API: one app with ADMIN_KEY
 * (throttling out of the way) for the block, an empty ledger before each test. The returned
 * object reads through to that app.
 */
export function useAdminTestApp(): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await startTestApp({ ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(async () => {
    await resetLedger(app().prisma);
  });
  const app = () => {
    if (!current) throw new Error('the admin test app is not started (use it inside a test)');
    return current;
  };
  return {
    get app() {
      return app().app;
    },
    get url() {
      return app().url;
    },
    get config() {
      return app().config;
    },
    get prisma() {
      return app().prisma;
    },
    close: () => app().close(),
  };
}
