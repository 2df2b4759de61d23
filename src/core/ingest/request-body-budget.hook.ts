import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { RequestBodyBudget } from './request-body-budget.js';

/** Bodies in flight finish within HTTP_REQUEST_TIMEOUT_MS at worst, and most within milliseconds. */
const RETRY_AFTER_SECONDS = 1;

export const BODY_BUDGET_REFUSAL = 'too_many_bodies_in_flight';

/**
 * Answers 503 + Retry-After, before the body is read, to a request whose body would take the bytes
 * of bodies being received past INGEST_MAX_INFLIGHT_BYTES; otherwise reserves them until the
 * response is sent or the connection closes, whichever comes first (answered, refused, timed out,
 * aborted). On a keep-alive connection Node reads a refused body off the socket and throws it
 * away, so the client reads its 503 and can send its next request.
 *
 * 503, not 429: the bound is the process's, not the sender's (who may have sent nothing else), and
 * 503 + Retry-After is what load balancers and providers' retries read as "try again shortly".
 */
export function registerRequestBodyBudgetHook(fastify: FastifyInstance, budget: RequestBodyBudget, bodyLimit: number): void {
  // A callback hook, not an async one: every request passes here.
  fastify.addHook('onRequest', (request, reply, done) => {
    const bytes = bytesToReserve(request, bodyLimit);
    if (bytes === 0) return done();
    if (!budget.tryReserve(bytes, request)) {
      (request.raw as { refusal?: string }).refusal = BODY_BUDGET_REFUSAL;
      reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: BODY_BUDGET_REFUSAL, message: `too many request bodies are being received at once; retry in ${RETRY_AFTER_SECONDS} s` });
      return;
    }
    releaseWhenAnswered(request, reply, () => budget.release(bytes));
    done();
  });
}

/**
 * The releases still due on each connection. A response emits 'close' once it is sent or its
 * connection is lost, except a response queued behind another on a pipelining connection: Node
 * drops it without an event when the connection dies, and its reservation would be lost for good.
 */
const dueOnConnection = new WeakMap<Socket, Set<() => void>>();

function releaseWhenAnswered(request: FastifyRequest, reply: FastifyReply, releaseBytes: () => void): void {
  const socket = request.raw.socket;
  const due = releasesDueOn(socket);
  const release = () => {
    if (due.delete(release)) releaseBytes();
  };
  due.add(release);
  reply.raw.once('close', release);
  // A response or connection that closed while earlier hooks ran has emitted its 'close' already.
  if (reply.raw.closed || socket.closed) release();
}

function releasesDueOn(socket: Socket): Set<() => void> {
  let due = dueOnConnection.get(socket);
  if (!due) {
    const releases = new Set<() => void>();
    socket.once('close', () => releases.forEach((release) => release()));
    dueOnConnection.set(socket, releases);
    due = releases;
  }
  return due;
}

/**
 * The most this request's body can take in memory: its Content-Length, or the whole limit for a
 * chunked body (Fastify stops reading past it). Nothing for a body Fastify never reads: none, one
 * declared over the limit (413 at once), or one sent with GET or HEAD.
 */
function bytesToReserve(request: FastifyRequest, bodyLimit: number): number {
  if (request.method === 'GET' || request.method === 'HEAD') return 0;
  const headers = request.headers;
  if (headers['transfer-encoding'] !== undefined) return bodyLimit;
  const declared = Number(headers['content-length'] ?? 0);
  return declared > 0 && declared <= bodyLimit ? declared : 0;
}
