#!/usr/bin/env node
// `npm run demo`: the first thing to run after `docker compose up`. Sends one signed sample
// delivery per configured provider (its secret set in the environment or .env) to a running
// Hookwise, then shows what the ledger says about each through the admin API.
//   HOOKWISE_URL   where Hookwise listens (default http://localhost:3000)
//   ADMIN_API_KEY  an admin key (default: the first of ADMIN_API_KEYS)
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');

const BASE = (process.env.HOOKWISE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const ADMIN_KEY = process.env.ADMIN_API_KEY ?? (process.env.ADMIN_API_KEYS ?? '').split(',').map((k) => k.trim()).find(Boolean);
const TERMINAL = new Set(['SUCCEEDED', 'DEAD', 'IGNORED']);

const firstSecret = (name) => (process.env[name] ?? '').split(',').map((s) => s.trim()).find(Boolean);
const hmacHex = (secret, body) => createHmac('sha256', secret).update(body).digest('hex');

/** One sample per provider, signed the way that provider signs. */
const SAMPLES = [
  {
    provider: 'github',
    secretVariable: 'GITHUB_WEBHOOK_SECRET',
    build(secret) {
      const body = `${JSON.stringify(
        {
          zen: 'Design for failure.',
          hook_id: 292430182,
          hook: { type: 'Repository', id: 292430182, active: true, events: ['push', 'pull_request'], config: { content_type: 'json', url: `${BASE}/webhooks/github` } },
          repository: { id: 17273051, name: 'hello-world', full_name: 'octo-org/hello-world', private: false },
          sender: { login: 'octocat', id: 583231, type: 'User' },
        },
        null,
        2,
      )}\n`;
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/demo',
          'x-github-event': 'ping',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${hmacHex(secret, body)}`,
        },
      };
    },
  },
  {
    provider: 'stripe',
    secretVariable: 'STRIPE_WEBHOOK_SECRET',
    build(secret) {
      // customer.created: recorded and IGNORED (no handler), so the demo sends no e-mail.
      const created = Math.floor(Date.now() / 1000);
      const body = JSON.stringify(
        {
          id: `evt_demo_${randomUUID().replaceAll('-', '')}`,
          object: 'event',
          api_version: '2025-03-31.basil',
          created,
          data: { object: { id: 'cus_DemoCustomer01', object: 'customer', email: 'demo@example.com', name: 'Demo Customer', livemode: false } },
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type: 'customer.created',
        },
        null,
        2,
      );
      return {
        body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': `t=${created},v1=${hmacHex(secret, `${created}.${body}`)}`,
        },
      };
    },
  },
  {
    provider: 'slack',
    secretVariable: 'SLACK_SIGNING_SECRET',
    build(secret) {
      const ts = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        type: 'event_callback',
        event_id: `EvDEMO${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
        team_id: 'T0DEMO0001',
        api_app_id: 'A0DEMO0001',
        event_time: ts,
        event: { type: 'message', channel: 'C0DEMO0001', user: 'U0DEMO0001', text: 'Hello from the Hookwise demo', ts: `${ts}.000100`, channel_type: 'channel' },
      });
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': `v0=${hmacHex(secret, `v0:${ts}:${body}`)}`,
        },
      };
    },
  },
  {
    provider: 'deployments',
    secretVariable: 'DEPLOYMENTS_WEBHOOK_SECRET',
    build(secret) {
      // deployment.started: recorded and IGNORED (only deployment.created is watched), so no smoke check runs and nothing is rolled back.
      const id = `msg_demo_${randomUUID()}`;
      const timestamp = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({ type: 'deployment.started', timestamp: new Date().toISOString(), data: { deployment_id: 'dep_demo', service: 'web', environment: 'staging' } });
      // Standard Webhooks: HMAC-SHA256 keyed by the base64 after whsec_, over id.timestamp.body, base64.
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
      return {
        body,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` },
      };
    },
  },
];

async function main() {
  console.log(`Hookwise demo against ${BASE}\n`);
  if (!ADMIN_KEY) console.log('! ADMIN_API_KEYS is not set: deliveries are sent, but the ledger cannot be read back through /admin.\n');

  const sent = [];
  for (const sample of SAMPLES) {
    const secret = firstSecret(sample.secretVariable);
    if (!secret) {
      console.log(`- ${sample.provider}: skipped (${sample.secretVariable} is not set)`);
      continue;
    }
    const { body, headers } = sample.build(secret);
    const response = await fetch(`${BASE}/webhooks/${sample.provider}`, { method: 'POST', headers, body });
    const answer = await response.json().catch(() => ({}));
    console.log(`- ${sample.provider}: POST /webhooks/${sample.provider} → ${response.status} ${JSON.stringify(answer)}`);
    if (answer.id) sent.push({ provider: sample.provider, id: answer.id });
  }
  if (sent.length === 0) {
    console.log('\nNo provider is configured: set at least one webhook secret (e.g. GITHUB_WEBHOOK_SECRET) for Hookwise and for this script.');
    process.exitCode = 1;
    return;
  }
  if (!ADMIN_KEY) return;

  console.log('\nWhat the ledger shows (GET /admin/events/:id):');
  for (const { provider, id } of sent) {
    const event = await waitForTerminal(id);
    console.log(`\n  ${provider} ${event.type} (${event.id})`);
    console.log(`    status       ${event.status}${event.statusReason ? ` (${event.statusReason})` : ''}`);
    console.log(`    subject      ${event.subject ?? '-'}`);
    console.log(`    received     ${event.receivedAt}, processed ${event.processedAt ?? '-'}, attempts ${event.attempts}, deliveries ${event.deliveryCount}`);
    for (const run of event.agentRuns ?? []) {
      const cost = run.costUsd === null ? 'cost unknown' : `$${run.costUsd.toFixed(4)}`;
      console.log(`    agent run    ${run.agent} on ${run.model}: ${run.status}, ${run.inputTokens}+${run.outputTokens} tokens, ${cost}`);
    }
    for (const action of event.actions ?? []) console.log(`    action       ${action.tool}: ${action.status}${action.statusReason ? ` (${action.statusReason})` : ''}`);
    if (event.lastError) console.log(`    last error   ${event.lastError}`);
  }

  const stats = await adminGet('/admin/stats');
  console.log('\nLast 24 hours (GET /admin/stats):');
  for (const row of stats.events) console.log(`    ${row.provider.padEnd(10)} ${row.status.padEnd(10)} ${row.count}`);
  for (const q of stats.queues) console.log(`    queue ${q.queue}: ${q.waiting} waiting, ${q.active} active, ${q.delayed} delayed, ${q.failed} failed`);
  console.log(`\nMore: ${BASE}/docs (OpenAPI), ${BASE}/admin/queues (queue dashboard), ${BASE}/metrics (Prometheus).`);
}

async function adminGet(path) {
  const response = await fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function waitForTerminal(id) {
  const deadline = Date.now() + 15_000;
  let event = await adminGet(`/admin/events/${id}`);
  while (!TERMINAL.has(event.status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    event = await adminGet(`/admin/events/${id}`);
  }
  return event;
}

main().catch((err) => {
  console.error(`demo failed: ${err.message}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ''}`);
  console.error(`Is Hookwise running at ${BASE}? Start it with docker compose up (or npm start).`);
  process.exitCode = 1;
});
