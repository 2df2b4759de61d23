import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './private-redis.js';
import { waitFor } from './wait-for.js';

const SLOTS = 16384;

/**
 * A Redis Cluster of the test's own: three masters (no replicas) on private ports, each owning a
 * third of the hash slots, joined with CLUSTER MEET. Started with the redis-server binary that
 * PrivateRedis uses; its node files live in a temporary directory removed at stop.
 */
export class PrivateRedisCluster {
  private readonly processes: ChildProcess[] = [];

  private constructor(
    readonly ports: number[],
    private readonly dir: string,
  ) {}

  static async start(nodes = 3): Promise<PrivateRedisCluster> {
    const ports: number[] = [];
    for (let i = 0; i < nodes; i++) ports.push(await freePort());
    const cluster = new PrivateRedisCluster(ports, mkdtempSync(join(tmpdir(), 'hookwise-redis-cluster-')));
    try {
      await cluster.start();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Seed URLs as REDIS_URL takes them with REDIS_CLUSTER=true. */
  seedUrls(count = this.ports.length): string {
    return this.ports
      .slice(0, count)
      .map((port) => `redis://127.0.0.1:${port}`)
      .join(',');
  }

  /** A plain client on one node (for CLUSTER commands and per-node inspection). */
  node(port: number): Redis {
    const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined); // refused while the node starts: callers poll for that
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes
        .filter((child) => child.exitCode === null)
        .map((child) => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL')))),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async start(): Promise<void> {
    for (const port of this.ports) {
      const child = spawn(
        'redis-server',
        [
          '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
          '--cluster-enabled', 'yes', '--cluster-config-file', join(this.dir, `nodes-${port}.conf`),
        ],
        { stdio: 'ignore' },
      );
      this.processes.push(child);
    }
    const clients = this.ports.map((port) => this.node(port));
    try {
      await waitFor('every cluster node to answer', async () => {
        const answers = await Promise.all(clients.map((c) => c.ping().catch(() => null)));
        return answers.every((answer) => answer === 'PONG');
      });
      const share = Math.ceil(SLOTS / this.ports.length);
      await Promise.all(
        clients.map((c, i) => c.call('CLUSTER', 'ADDSLOTSRANGE', String(i * share), String(Math.min(SLOTS, (i + 1) * share) - 1))),
      );
      for (const port of this.ports.slice(1)) await clients[0].call('CLUSTER', 'MEET', '127.0.0.1', String(port));
      await waitFor(
        'the cluster to serve every slot',
        async () => {
          const infos = await Promise.all(clients.map((c) => c.call('CLUSTER', 'INFO') as Promise<string>));
          return infos.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${this.ports.length}`));
        },
        20_000,
      );
    } finally {
      clients.forEach((c) => c.disconnect());
    }
  }
}
