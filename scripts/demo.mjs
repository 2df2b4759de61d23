#!/usr/bin/env node
// `npm run demo`: the first thing to run after `docker compose up`. Sends one signed sample
// delivery per configured provider (its secret set in the environment or .env) to a running
// Hookwise, then shows what the ledger says about each through the admin API. Each provider owns
// its sample, src/providers/<name>/demo-sample.mjs (plain JavaScript: this runs with node, no build);
// the samples are deliveries Hookwise records and does not act on (IGNORED), so the demo is safe
// against a real configuration. Exits 1 when no sample could be sent or one was refused.
//   HOOKWISE_URL   where Hookwise listens (default http://localhost:3000)
//   ADMIN_API_KEY  an admin key (default: the first of ADMIN_API_KEYS)
import { existsSync, readdirSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');

const BASE = (process.env.HOOKWISE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const ADMIN_KEY = process.env.ADMIN_API_KEY ?? (process.env.ADMIN_API_KEYS ?? '').split(',').map((k) => k.trim()).find(Boolean);
const TERMINAL = new Set(['SUCCEEDED', 'DEAD', 'IGNORED']);
/** Where the providers live: each folder's demo-sample.mjs is its sample (the folder's name is its route). */
const PROVIDERS = new URL('../src/providers/', import.meta.url);
const SAMPLE_FILE = 'demo-sample.mjs';

const firstSecret = (name) => (process.env[name] ?? '').split(',').map((s) => s.trim()).find(Boolean);

/**
 * Every provider folder with its sample: `secretVariable` (the variable holding the provider's
 * secret) and `demoDelivery(secret)` → { body, headers }, a safe delivery signed as the sender signs;
 * or `noDemo`, why the provider has none (a sender signing with its private key). A provider adds
 * its own sample in its folder (the generator writes one): nothing here names one.
 */
async function loadSamples() {
  const folders = readdirSync(PROVIDERS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const samples = [];
  for (const provider of folders) {
    const file = new URL(`${provider}/${SAMPLE_FILE}`, PROVIDERS);
    const where = `src/providers/${provider}/${SAMPLE_FILE}`;
    if (!existsSync(file)) {
      samples.push({ provider, problem: `no demo sample (${where})` });
      continue;
    }
    const { secretVariable, demoDelivery, noDemo } = await import(file.href);
    if (typeof noDemo === 'string') {
      samples.push({ provider, problem: `no sample: ${noDemo}` });
      continue;
    }
    if (typeof secretVariable !== 'string' || typeof demoDelivery !== 'function') {
      samples.push({ provider, problem: `${where} must export secretVariable and demoDelivery(secret), or noDemo` });
      continue;
    }
    samples.push({ provider, secretVariable, demoDelivery });
  }
  return samples;
}

async function main() {
  console.log(`Hookwise demo against ${BASE}\n`);
  if (!ADMIN_KEY) console.log('! ADMIN_API_KEYS is not set: deliveries are sent, but the ledger cannot be read back through /admin.\n');

  const sent = [];
  let refused = false;
  for (const sample of await loadSamples()) {
    if (sample.problem) {
      console.log(`- ${sample.provider}: skipped (${sample.problem})`);
      continue;
    }
    const secret = firstSecret(sample.secretVariable);
    if (!secret) {
      console.log(`- ${sample.provider}: skipped (${sample.secretVariable} is not set)`);
      continue;
    }
    const { body, headers } = sample.demoDelivery(secret);
    const response = await fetch(`${BASE}/webhooks/${sample.provider}`, { method: 'POST', headers, body });
    const answer = await response.json().catch(() => ({}));
    console.log(`- ${sample.provider}: POST /webhooks/${sample.provider} → ${response.status} ${JSON.stringify(answer)}`);
    if (answer.id) sent.push({ provider: sample.provider, id: answer.id });
    // A 401: this script's secret is not the one Hookwise verifies with (set the same value for both).
    else if (!response.ok) refused = true;
  }
  if (sent.length === 0) {
    console.log('\nNo provider is configured: set at least one webhook secret (a variable listed above) for Hookwise and for this script.');
    process.exitCode = 1;
    return;
  }
  if (refused) process.exitCode = 1;
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
