// Open-loop load at a fixed rate (run as its own process by run-bench.mjs): request k is due at
// t0 + k/rate whatever happened to earlier ones, and its latency is measured from that due time,
// so a stalled server shows up in the percentiles instead of slowing the generator down
// (no coordinated omission). Each request is a new delivery: a pre-signed body from a pool (as in
// the wrk script; GitHub's signature covers the body only) with a delivery id of its own.
//
// The generator shares the machine's cores with the service, so it is written to cost little: raw
// keep-alive sockets and requests written as prepared strings. Node's http client and signing every
// body took ~380 µs of CPU per request here, more than a third of a core at 1,000 req/s.
// Usage: node fixed-rate-load.mjs <url> <rate per s> <seconds> <connections>
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { BENCH_EVENT, benchBody, signature } from './bench-delivery.mjs';

const [url, rateArg, secondsArg, connectionsArg] = process.argv.slice(2);
const target = new URL(url);
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const connectionCount = Number(connectionsArg);
const runTag = Date.now().toString(16);

const pool = Array.from({ length: 512 }, (_, i) => {
  const body = benchBody(Date.now() * 1000 + i);
  return { body, signature: signature(body), length: Buffer.byteLength(body) };
});
const fixedHeaders =
  `POST /webhooks/github HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` +
  `User-Agent: GitHub-Hookshot/044aadd\r\nX-GitHub-Event: ${BENCH_EVENT}\r\nX-GitHub-Hook-ID: 292430182\r\n`;

const latencies = [];
const statuses = {};
let errors = 0;
let sent = 0;
let written = 0;
let finished = 0;
/** Due times of requests waiting for a free connection, oldest first. */
const backlog = [];
const idle = [];
let resolveDone;
const done = new Promise((resolve) => (resolveDone = resolve));

for (let i = 0; i < connectionCount; i++) idle.push(connect());
const t0 = performance.now();
pump();
await done;
const elapsed = (performance.now() - t0) / 1000;
for (const connection of idle) connection.socket.destroy();

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
    // The generator's own CPU (user + system), for the bench's account of where the cores went.
    cpuSeconds: round(Object.values(process.cpuUsage()).reduce((a, b) => a + b, 0) / 1e6),
  }),
);
process.exit(0);

function pump() {
  const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
  while (sent < due) backlog.push(t0 + (sent++ * 1000) / rate);
  while (backlog.length > 0 && idle.length > 0) send(idle.pop(), backlog.shift());
  if (sent < total) setTimeout(pump, 1);
}

function send(connection, dueAt) {
  const sequence = written++;
  const delivery = pool[sequence % pool.length];
  connection.dueAt = dueAt;
  connection.socket.write(
    `${fixedHeaders}X-GitHub-Delivery: ${runTag}-${sequence.toString(16).padStart(12, '0')}\r\n` +
      `X-Hub-Signature-256: ${delivery.signature}\r\nContent-Length: ${delivery.length}\r\n\r\n${delivery.body}`,
  );
}

/**
 * One keep-alive connection with at most one request in flight. When it closes (the server's
 * `Connection: close`, its keep-alive timeout on an idle one, an error), a request in flight counts
 * as an error and a new connection takes its place.
 */
function connect() {
  const connection = { socket: net.connect(Number(target.port), target.hostname), dueAt: null, buffer: '' };
  connection.socket.setNoDelay(true);
  connection.socket.setEncoding('latin1');
  connection.socket.on('data', (chunk) => {
    connection.buffer += chunk;
    const response = parseResponse(connection.buffer);
    if (!response) return;
    connection.buffer = connection.buffer.slice(response.length);
    complete(connection, response.status);
    if (response.close) connection.socket.destroy();
    else release(connection);
  });
  connection.socket.on('error', () => {});
  connection.socket.on('close', () => {
    if (connection.dueAt !== null) {
      connection.dueAt = null;
      errors++;
      finish();
    }
    const index = idle.indexOf(connection);
    if (index >= 0) idle.splice(index, 1);
    if (finished < total) release(connect());
  });
  return connection;
}

function complete(connection, status) {
  latencies.push(performance.now() - connection.dueAt);
  statuses[status] = (statuses[status] ?? 0) + 1;
  connection.dueAt = null;
  finish();
}

function finish() {
  if (++finished === total) resolveDone();
}

function release(connection) {
  if (backlog.length > 0) send(connection, backlog.shift());
  else idle.push(connection);
}

/** A complete response at the start of `text` (status, byte length, whether the server closes), or null. */
function parseResponse(text) {
  const headerEnd = text.indexOf('\r\n\r\n');
  if (headerEnd < 0) return null;
  const head = text.slice(0, headerEnd).toLowerCase();
  const bodyStart = headerEnd + 4;
  const lengthMatch = /\r\ncontent-length: *(\d+)/.exec(head);
  const length = /\r\ntransfer-encoding: *chunked/.test(head) ? chunkedEnd(text, bodyStart) : bodyStart + (lengthMatch ? Number(lengthMatch[1]) : 0);
  if (length === null || text.length < length) return null;
  return { status: Number(head.slice(9, 12)), length, close: /\r\nconnection: *close/.test(head) };
}

/** Where a chunked body that starts at `start` ends, or null while it is incomplete. */
function chunkedEnd(text, start) {
  let at = start;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (size === 0) {
      const end = text.indexOf('\r\n\r\n', lineEnd);
      return end < 0 ? null : end + 4;
    }
    at = lineEnd + 2 + size + 2;
    if (text.length < at) return null;
  }
}

function round(value) {
  return Math.round(value * 100) / 100;
}
