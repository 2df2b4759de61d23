import pg from 'pg';
import { stillClosing } from '../../src/core/lifecycle/closing-tracker.js';
import { testDatabaseUrl } from './test-environment.js';

/**
 * Awaits `work`, or fails after `ms` with what may be holding it up: what the application is still
 * closing, the test database's other sessions and the locks they wait for, and this process's open
 * handles. A hang then says where it is instead of ending as a bare test timeout.
 */
export async function withinDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void hangReport().then((report) => {
        const message = `${what} did not finish within ${ms} ms\n${report}`;
        // Also on stderr: a test retried in CI (see .ci/run) shows its first failure only there.
        process.stderr.write(`[hang] ${message}\n`);
        reject(new Error(message));
      });
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function hangReport(): Promise<string> {
  const lines = [`still closing: ${stillClosing().join('; ') || 'nothing tracked'}`, `open handles: ${openHandles()}`];
  const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 2000, statement_timeout: 2000 });
  try {
    await client.connect();
    const sessions = await client.query(
      `SELECT pid, application_name, state, wait_event_type, wait_event, round(extract(epoch FROM now() - xact_start)::numeric, 1) AS xact_seconds,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    lines.push('database sessions:', ...sessions.rows.map((row) => `  ${JSON.stringify(row)}`));
    const waits = await client.query(
      `SELECT waiting.pid, waiting.locktype, waiting.mode, waiting.objid, pg_blocking_pids(waiting.pid) AS blocked_by
         FROM pg_locks waiting WHERE NOT waiting.granted`,
    );
    lines.push('lock waits:', ...waits.rows.map((row) => `  ${JSON.stringify(row)}`));
  } catch (err) {
    lines.push(`database not inspected: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return lines.join('\n');
}

function openHandles(): string {
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
  const counts = new Map<string, number>();
  for (const handle of handles) {
    const socket = handle as { remotePort?: number };
    const name = `${handle.constructor?.name ?? 'unknown'}${socket.remotePort ? `→${socket.remotePort}` : ''}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => `${name}×${count}`).join(', ');
}
