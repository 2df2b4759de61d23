// Open-loop load at a fixed rate (run as its own process by run-bench.mjs): request k is due at
// t0 + k/rate whatever happened to earlier ones, and its latency is measured from that due time,
// so a stalled server shows up in the percentiles instead of slowing the generator down
// (no coordinated omission). Each request is a new delivery, signed here.
// Usage: node fixed-rate-load.mjs <url> <rate per s> <seconds> <connections>
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { benchBody, benchHeaders } from './bench-delivery.mjs';

const [url, rateArg, secondsArg, connectionsArg] = process.argv.slice(2);
const target = new URL(url);
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connectionsArg) });
const latencies = [];
const statuses = {};
let errors = 0;
let sent = 0;
let finished = 0;
const sequenceBase = Date.now() * 1000;

const t0 = performance.now();
await new Promise((resolve) => {
  const pump = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    while (sent < due) send(t0 + (sent * 1000) / rate, sequenceBase + sent++, resolve);
    if (sent < total) setTimeout(pump, 1);
  };
  pump();
});
const elapsed = (performance.now() - t0) / 1000;
agent.destroy();

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]) : null);
process.stdout.write(
  JSON.stringify({
    requested: total,
    completed: latencies.length,
    errors,
    statuses,
    seconds: round(elapsed),
    achievedRate: round(latencies.length / elapsed),
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.length ? round(latencies.at(-1)) : null },
  }),
);

function send(dueAt, sequence, done) {
  const body = benchBody(sequence);
  const request = http.request(
    { agent, method: 'POST', host: target.hostname, port: target.port, path: '/webhooks/github', headers: benchHeaders(body) },
    (response) => {
      response.resume();
      response.on('end', () => {
        latencies.push(performance.now() - dueAt);
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        if (++finished === total) done();
      });
    },
  );
  request.on('error', () => {
    errors++;
    if (++finished === total) done();
  });
  request.end(body);
}

function round(value) {
  return Math.round(value * 100) / 100;
}
