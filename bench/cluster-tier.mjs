// Several processes of one bench server sharing one port through node:cluster (connections are
// dealt out round-robin), as replicas behind a load balancer would be.
import cluster from 'node:cluster';
import { once } from 'node:events';

/**
 * In the primary: forks `count` processes with `env`, one after the other, each awaited until it
 * sends `ready`; passes SIGTERM on to them and exits once they have. Returns their pids.
 */
export async function forkTier(count, env = {}) {
  const workers = [];
  for (let i = 0; i < count; i++) {
    const worker = cluster.fork(env);
    workers.push(worker);
    const exited = once(worker, 'exit').then(([code]) => Promise.reject(new Error(`a tier process exited with ${code} during start`)));
    const [message] = await Promise.race([once(worker, 'message'), exited]);
    if (message?.type !== 'ready') throw new Error(`a tier process sent ${JSON.stringify(message)} instead of ready`);
  }
  process.on('SIGTERM', async () => {
    await Promise.all(workers.map((worker) => (worker.isDead() ? undefined : (worker.kill('SIGTERM'), once(worker, 'exit')))));
    process.exit(0);
  });
  return workers.map((worker) => worker.process.pid);
}

/** In a forked process: stop when the primary is gone (killed), instead of holding the port. */
export function exitWithPrimary() {
  if (cluster.isWorker) process.on('disconnect', () => process.exit(1));
}

/**
 * Runs `serve` (which listens on a port) in `processes` node:cluster processes sharing that port,
 * or in this process when there is one, then tells the parent process it is ready.
 */
export async function serveAsTier(processes, serve) {
  if (processes > 1 && cluster.isPrimary) await forkTier(processes);
  else {
    exitWithPrimary();
    await serve();
  }
  process.send?.({ type: 'ready' });
}
