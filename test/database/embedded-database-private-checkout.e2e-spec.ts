import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_HOME } from '../../src/core/database/reachable-placement.js';
import { waitFor } from '../support/wait-for.js';
import { PrivateCheckout, type HookwiseProcess } from './support/private-checkout.js';

const AS_ROOT = process.getuid?.() === 0;
const SKIP_REASON = 'skipped: not running as root (PostgreSQL runs as the OS user "postgres" only when Hookwise runs as root; CI runs as root)';
if (!AS_ROOT) console.warn(`[tests] embedded-database-private-checkout: ${SKIP_REASON}`);

/** Resolves once /health/ready answers 200; fails with the process's output if it exits first. */
async function healthy(service: HookwiseProcess): Promise<void> {
  let ended = false; // stops the polling too
  void service.exited.then(() => (ended = true));
  await Promise.race([
    waitFor('the service to answer /health/ready', async () => ended || (await fetch(`${service.url}/health/ready`).catch(() => null))?.status === 200, 90_000, 200),
    service.exited.then((code) => Promise.reject(new Error(`exited with ${code} while starting:\n${service.stdout()}\n${service.stderr()}`))),
  ]);
}

/** `the embedded database is kept in <dir> (...)` of the boot log. */
function keptIn(stdout: string): string {
  const match = / the embedded database is kept in (\S+) \(private to "postgres"\), linked from (\S+)$/m.exec(stdout);
  if (!match) throw new Error(`the boot log does not say where the database is kept:\n${stdout}`);
  return match[1]!;
}

describe.skipIf(!AS_ROOT)(`zero-install as root in a checkout only root can enter (a clone in /root); ${AS_ROOT ? 'runs as root' : SKIP_REASON}`, () => {
  let checkout: PrivateCheckout;
  let service: HookwiseProcess | null = null;
  let clusterHome: string | null = null;
  const postgresUid = AS_ROOT ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()) : -1;

  beforeAll(() => {
    checkout = PrivateCheckout.create();
  });

  afterAll(async () => {
    await service?.stop();
    checkout?.remove();
    // The cluster this test made under PRIVATE_HOME. The binaries' copy stays: other checkouts
    // on this machine may run it, and the next run reuses it.
    if (clusterHome) rmSync(clusterHome, { recursive: true, force: true });
  });

  it('answers /health with its database kept where "postgres" can reach it, private to that user, and keeps it across a restart', async () => {
    expect(statSync(checkout.privateDir).mode & 0o777).toBe(0o700);

    service = await checkout.start();
    await healthy(service);
    const first = service.stdout();
    const cluster = keptIn(first);
    clusterHome = dirname(cluster);
    // Announced once, where the data is: not in the private directory, and not opened up for it.
    expect(first).toContain(`DATA_DIR ${checkout.dataDir} is out of reach of the OS user "postgres"`);
    expect(first).toContain(`initialising the embedded PostgreSQL in ${cluster} (first start)`);
    expect(first).toMatch(new RegExp(`running (a copy made now|their copy) in ${PRIVATE_HOME}/postgresql/\\S+`));
    expect(service.stderr()).not.toMatch(/EACCES|\n\s+at /);
    expect(cluster.startsWith(`${PRIVATE_HOME}/data/`)).toBe(true);
    expect(statSync(checkout.privateDir).mode & 0o777).toBe(0o700);

    // DATA_DIR links to it; it belongs to "postgres" and no one else may look in.
    expect(lstatSync(join(checkout.dataDir, 'postgres')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(checkout.dataDir, 'postgres'))).toBe(cluster);
    for (const dir of [clusterHome, cluster]) {
      expect(statSync(dir).uid).toBe(postgresUid);
      expect(statSync(dir).mode & 0o077).toBe(0);
    }
    expect(existsSync(join(cluster, 'PG_VERSION'))).toBe(true);
    // The password stays with root in DATA_DIR; the binaries "postgres" runs belong to root.
    expect(statSync(join(checkout.dataDir, 'postgres-password')).mode & 0o077).toBe(0);
    const binaries = /running (?:a copy made now|their copy) in (\S+)$/m.exec(first)![1]!;
    expect(statSync(join(binaries, 'bin', 'postgres')).uid).toBe(0);
    expect(statSync(join(binaries, 'bin', 'postgres')).mode & 0o022).toBe(0);

    await service.stop();
    // The server stops with it: asked for a fast shutdown on the way out, it removes its pid file once
    // its backends have ended, which on a loaded machine may come a moment after Hookwise has exited.
    await waitFor('the embedded PostgreSQL to stop with the service', () => !existsSync(join(cluster, 'postmaster.pid')), 15_000, 100);

    // A restart finds the same database through the link: nothing to initialise or migrate.
    service = await checkout.start();
    await healthy(service);
    const second = service.stdout();
    expect(keptIn(second)).toBe(cluster);
    expect(second).not.toContain('initialising the embedded PostgreSQL');
    expect(second).toContain('running their copy in');
    expect(second).toMatch(/database schema up to date \(0 migration\(s\) applied now, [1-9]\d* before\)/);
    await service.stop();
    service = null;
  }, 180_000);

  it('fails at once, with one line saying why and what to do, when the database DATA_DIR links to is gone', async () => {
    expect(clusterHome).not.toBeNull();
    rmSync(clusterHome!, { recursive: true, force: true });

    service = await checkout.start();
    expect(await service.exited).toBe(1);
    const lines = service.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `hookwise failed to start: the embedded PostgreSQL did not start: the embedded database linked from ${join(checkout.dataDir, 'postgres')} is missing: ` +
        `${clusterHome} does not exist (was it deleted?); remove the link ${join(checkout.dataDir, 'postgres')} to start with an empty database`,
    );
    service = null;
  }, 60_000);
});
