import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';

export const FAULT_SECRET = 'faults-secret-not-for-production';
export const FAULT_EVENT = 'hookwise_fault';

export interface FaultDelivery {
  deliveryId: string;
  body: string;
  headers: Record<string, string>;
}

/** A signed GitHub delivery of the suite's event type, with a unique id. */
export function faultDelivery(sequence: number): FaultDelivery {
  const deliveryId = randomUUID();
  const body = JSON.stringify({
    action: 'effect',
    sequence,
    delivery: deliveryId,
    repository: { id: 1296269, full_name: 'octo-org/hookwise-faults' },
    sender: { login: 'octocat', id: 583231 },
  });
  return {
    deliveryId,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': FAULT_EVENT,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': `sha256=${createHmac('sha256', FAULT_SECRET).update(body).digest('hex')}`,
    },
  };
}

export interface PostResult {
  /** HTTP status, or 0 when the connection failed (refused, reset, timed out). */
  status: number;
  latencyMs: number;
  body: string;
  /** The socket error's code when status is 0 (ECONNREFUSED, ECONNRESET, timeout). */
  error?: string;
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 256 });
const oneShot = new http.Agent({ keepAlive: false, maxSockets: 256 });

/** POSTs once. `fresh` uses a connection of its own (for requests the server answers by closing it). */
export function post(
  baseUrl: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string | string[]>,
  fresh = false,
): Promise<PostResult> {
  const agent = fresh ? oneShot : keepAlive;
  const target = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      { agent, method: 'POST', host: target.hostname, port: target.port, path, headers, timeout: 15_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, latencyMs: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, latencyMs: performance.now() - started, body: '', error: err.code ?? err.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, latencyMs: performance.now() - started, body: '', error: err.code ?? err.message }));
    request.end(body);
  });
}

/**
 * Sends deliveries the way a provider does: concurrently, and anything not answered 2xx is retried
 * later (GitHub redelivers). Keeps every answer so a scenario can check what was acknowledged.
 */
export class DeliveryDriver {
  /** deliveryId → ledger id, for every delivery that got a 2xx. */
  readonly acknowledged = new Map<string, string>();
  readonly statuses = new Map<number, number>();
  readonly connectionErrors = new Map<string, number>();
  readonly latencies: number[] = [];
  sent = 0;

  constructor(private readonly urls: () => string[]) {}

  /** One pass over `deliveries` with `concurrency` requests in flight; returns those not acknowledged. */
  async send(deliveries: FaultDelivery[], concurrency: number, stop: () => boolean = () => false): Promise<FaultDelivery[]> {
    const failed: FaultDelivery[] = [];
    let next = 0;
    const lane = async () => {
      while (next < deliveries.length && !stop()) {
        const delivery = deliveries[next++];
        const targets = this.urls();
        const result = await post(targets[next % targets.length], '/webhooks/github', delivery.body, delivery.headers);
        this.sent++;
        this.statuses.set(result.status, (this.statuses.get(result.status) ?? 0) + 1);
        if (result.error) this.connectionErrors.set(result.error, (this.connectionErrors.get(result.error) ?? 0) + 1);
        if (result.status >= 200 && result.status < 300) {
          this.latencies.push(result.latencyMs);
          this.acknowledged.set(delivery.deliveryId, (JSON.parse(result.body) as { id: string }).id);
        } else {
          failed.push(delivery);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    if (stop()) failed.push(...deliveries.slice(next));
    return failed;
  }

  /** Retries until every delivery is acknowledged or `timeoutMs` passes; returns what is left. */
  async sendUntilAcknowledged(deliveries: FaultDelivery[], concurrency: number, timeoutMs: number): Promise<FaultDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    let left = deliveries;
    while (left.length > 0 && Date.now() < deadline) {
      left = await this.send(left, concurrency);
      if (left.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return left;
  }

  statusSummary(): string {
    const statuses = [...this.statuses].sort(([a], [b]) => a - b).filter(([status]) => status !== 0);
    const errors = [...this.connectionErrors];
    return [...statuses.map(([status, n]) => `${status}×${n}`), ...errors.map(([code, n]) => `${code}×${n}`)].join(' ');
  }
}
