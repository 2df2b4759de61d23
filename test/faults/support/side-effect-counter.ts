import { createServer, type Server } from 'node:http';

/**
 * A fake downstream API (the kind of service an agent's tool calls) that counts calls per
 * Idempotency-Key, as real APIs with idempotency keys do: a repeated key is one side effect.
 */
export class SideEffectCounter {
  readonly calls = new Map<string, number>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const key = String(request.headers['idempotency-key'] ?? '');
      this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
      request.resume();
      request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/effects`;
  }

  reset(): void {
    this.calls.clear();
  }

  /** Keys (event ids) that were called more than once. */
  repeated(): string[] {
    return [...this.calls].filter(([, n]) => n > 1).map(([key]) => key);
  }

  totalCalls(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
