import { ServiceUnavailableException } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { Transform, type Readable } from 'node:stream';
import { noteRefusal } from '../http/webhook-access-log.js';

/** Bodies in flight finish within HTTP_REQUEST_TIMEOUT_MS at worst, and most within milliseconds. */
const RETRY_AFTER_SECONDS = 1;

const BODY_BUDGET_REFUSAL = 'too_many_bodies_in_flight';

/**
 * Bounds the bytes of request bodies the process holds (INGEST_MAX_INFLIGHT_BYTES). What counts is
 * what a body has really sent: each chunk is counted as it arrives, and given back when the answer
 * is sent or the connection closes, whichever comes first (answered, refused, timed out, aborted).
 * A request whose declared body (Content-Length) does not fit beside what is held is answered 503
 * + Retry-After as its headers arrive, before its body is read; one that runs out of room while its
 * body arrives (many large uploads at once) is cut there, with the same answer and its connection
 * closed. A client that declares large bodies and sends them slowly holds only what it has sent, so
 * it cannot keep the others out without sending as much.
 *
 * 503, not 429: the bound is the process's, not the sender's (who may have sent nothing else), and
 * 503 + Retry-After is what load balancers and providers' retries read as "try again shortly".
 */
export function registerRequestBodyBudgetHook(fastify: FastifyInstance, budget: BodyBudget, bodyLimit: number): void {
  // Callback hooks, not async ones: every request passes here.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (hasBody(request) && !budget.admits(declaredLength(request, bodyLimit), request)) return refuse(request, reply);
    done();
  });
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (!hasBody(request)) return done(null, payload);
    const count: BodyCount = { bytes: 0, settled: false };
    releaseWhenAnswered(request, reply, () => {
      count.settled = true;
      budget.release(count.bytes);
    });
    done(null, countedBody(payload, (bytes) => {
      // Answered already (the rest of a refused body, read and thrown away), or past the body limit,
      // where Fastify answers 413 on this very chunk: nothing to count.
      if (count.settled || count.bytes + bytes > bodyLimit) {
        count.settled = true;
        return true;
      }
      if (!budget.take(bytes, request)) {
        reply.header('connection', 'close');
        markRefused(request, reply);
        return false;
      }
      count.bytes += bytes;
      return true;
    }));
  });
}

/** The accounting the hook draws on: RequestBodyBudget, which registers the hook (see there). */
interface BodyBudget {
  /** Whether a body of `bytes` fits beside what is held now (asked as the headers arrive). */
  admits(bytes: number, request: FastifyRequest): boolean;
  /** Takes `bytes` that have just arrived; false when they do not fit (the request is cut). */
  take(bytes: number, request: FastifyRequest): boolean;
  /** Gives back what a body held, once it is answered or its connection closed. */
  release(bytes: number): void;
}

interface BodyCount {
  /** What the body has sent so far, held until the request is answered. */
  bytes: number;
  /** Nothing more is counted: the bytes are given back, or the body is past the limit. */
  settled: boolean;
}

function refuse(request: FastifyRequest, reply: FastifyReply): void {
  markRefused(request, reply);
  reply.code(503).send(refusalBody());
}

function markRefused(request: FastifyRequest, reply: FastifyReply): void {
  noteRefusal(request, BODY_BUDGET_REFUSAL);
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
}

function refusalBody() {
  return { error: BODY_BUDGET_REFUSAL, message: `too many request bodies are being received at once; retry in ${RETRY_AFTER_SECONDS} s` };
}

/** Thrown into Fastify's body reader when a body runs out of room: answered like a refusal at the door. */
class BodyBudgetExceededError extends ServiceUnavailableException {
  readonly statusCode = 503;

  constructor() {
    super(refusalBody());
  }
}

/**
 * The body as Fastify reads it, each chunk passed to `take` first; a chunk it turns down ends the
 * body with BodyBudgetExceededError. `receivedEncodedLength` is how Fastify checks its body limit on
 * a stream a hook put in place of the request.
 */
function countedBody(payload: Readable, take: (bytes: number) => boolean): Readable {
  let received = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!take(chunk.length)) return callback(new BodyBudgetExceededError());
      received += chunk.length;
      (body as Readable & { receivedEncodedLength?: number }).receivedEncodedLength = received;
      callback(null, chunk);
    },
  });
  payload.on('error', (err) => body.destroy(err));
  return payload.pipe(body);
}

/**
 * The releases still due on each connection. A response emits 'close' once it is sent or its
 * connection is lost, except a response queued behind another on a pipelining connection: Node
 * drops it without an event when the connection dies, and its bytes would never be given back.
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

/** Fastify reads no body for GET and HEAD, nor for a request without Content-Length or chunked encoding. */
function hasBody(request: FastifyRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/**
 * What the request says its body will take: its Content-Length, nothing when it does not say
 * (chunked: counted as it arrives) or declares more than the limit (answered 413 before it is read).
 */
function declaredLength(request: FastifyRequest, bodyLimit: number): number {
  const declared = Number(request.headers['content-length'] ?? 0);
  return declared > 0 && declared <= bodyLimit ? declared : 0;
}
