// Builds the benchmark's GitHub deliveries: ~600 B JSON bodies shaped like GitHub's, signed as
// GitHub signs them (HMAC-SHA256 of the body with the webhook secret, X-Hub-Signature-256).
import { createHmac } from 'node:crypto';

/** Event type no production handler claims; the bench worker registers its no-op handler for it. */
export const BENCH_EVENT = 'hookwise_bench';
export const BENCH_ACTION = 'noop';
export const BENCH_SECRET = 'bench-secret-not-for-production';

export function benchBody(sequence) {
  const payload = {
    action: BENCH_ACTION,
    sequence,
    ref: 'refs/heads/main',
    after: '76ae82c7b1a177c8d03f9e96e0adf2466113728f',
    repository: {
      id: 17273051,
      name: 'hookwise-bench',
      full_name: 'octo-org/hookwise-bench',
      private: false,
      default_branch: 'main',
    },
    organization: { login: 'octo-org', id: 6811672 },
    sender: { login: 'octocat', id: 583231, type: 'User', site_admin: false },
    installation: { id: 2311213 },
    head_commit: {
      id: '76ae82c7b1a177c8d03f9e96e0adf2466113728f',
      message: `Benchmark delivery ${sequence}`,
      timestamp: '2026-11-22T12:00:00Z',
      author: { name: 'Mona Octocat', email: 'octocat@github.com' },
    },
  };
  return JSON.stringify(payload);
}

export function signature(body, secret = BENCH_SECRET) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
