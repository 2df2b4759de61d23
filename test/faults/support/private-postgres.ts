import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../support/private-redis.js';
import { waitFor } from '../../support/wait-for.js';

/** The Debian PostgreSQL binaries (initdb, pg_ctl), newest version first. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary directory, private port), so the
 * fault suite can stop and restart it without touching the shared server. PostgreSQL refuses to
 * run as root: as root, the cluster belongs to the `postgres` user.
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly runAs: string | null,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const runAs = process.getuid?.() === 0 ? 'postgres' : null;
    const dir = mkdtempSync(join(tmpdir(), 'hookwise-faults-pg-'));
    if (runAs) {
      const uid = Number(execFileSync('id', ['-u', runAs], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', runAs], { encoding: 'utf8' }).trim());
      chownSync(dir, uid, gid);
    }
    const server = new PrivatePostgres(dir, await freePort(), runAs);
    server.run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await server.start();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    this.run('pg_ctl', [
      '-D', join(this.dir, 'data'),
      '-l', join(this.dir, 'server.log'),
      '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
      '-w', 'start',
    ]);
    await waitFor('private PostgreSQL to accept connections', async () => {
      const client = new pg.Client({ connectionString: this.url() });
      try {
        await client.connect();
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  }

  /** Fast shutdown: clients are disconnected, the cluster stops cleanly. */
  stop(): void {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  destroy(): void {
    spawnSync(...this.command('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(binary: string, args: string[]): void {
    const [file, argv] = this.command(binary, args);
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${binary} failed: ${result.stderr || result.stdout}`);
  }

  private command(binary: string, args: string[]): [string, string[]] {
    const path = join(binDir(), binary);
    return this.runAs ? ['runuser', ['-u', this.runAs, '--', path, ...args]] : [path, args];
  }
}
