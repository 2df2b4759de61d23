import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../config/env.schema.js';
import { registerRequestBodyBudgetHook } from './request-body-budget.hook.js';

/** While refusals go on, one line per this many ms, with a count. */
const REFUSAL_LOG_INTERVAL_MS = 5000;

/**
 * The bytes of request bodies this process may hold at once (INGEST_MAX_INFLIGHT_BYTES; 0: no
 * bound). Every body is read whole into memory before its signature can be checked, so without a
 * bound anyone could make the process hold as many bodies as they open uploads (200 of 5 MB at once
 * took one api process to 0.6–4 GB: README, Sizing) and have it killed with every delivery in flight.
 * A request reserves the most its body can be when it arrives, before the body is read, and gives
 * it back when its answer is sent or its connection closes (see request-body-budget.hook.ts).
 */
/** What a refusal's warning says of the request (Fastify's request has these). */
interface RequestSummary {
  method: string;
  url: string;
  id: string;
}

@Injectable()
export class RequestBodyBudget implements OnModuleInit {
  private readonly logger = new Logger(RequestBodyBudget.name);
  readonly maxBytes: number;
  private readonly bodyLimit: number;
  private reserved = 0;
  private refused = 0;
  private refusedSinceLog = 0;
  private lastRefusalLog = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxBytes = config.INGEST_MAX_INFLIGHT_BYTES;
    this.bodyLimit = config.WEBHOOK_BODY_LIMIT;
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (this.enabled && fastify) registerRequestBodyBudgetHook(fastify, this, this.bodyLimit);
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** Bytes reserved by requests whose bodies are being received or whose answers are not sent yet. */
  get bytesInFlight(): number {
    return this.reserved;
  }

  /** Requests refused since the start because their body would not fit. */
  get refusals(): number {
    return this.refused;
  }

  /**
   * Reserves `bytes` if they fit; false (and the refusal logged) if not. INGEST_MAX_INFLIGHT_BYTES is
   * at least WEBHOOK_BODY_LIMIT (checked at start), so any body fits when nothing else is in flight.
   */
  tryReserve(bytes: number, request: RequestSummary): boolean {
    if (this.reserved + bytes <= this.maxBytes) {
      this.reserved += bytes;
      return true;
    }
    this.refused++;
    this.reportRefusal(bytes, request);
    return false;
  }

  release(bytes: number): void {
    this.reserved -= bytes;
  }

  private reportRefusal(bytes: number, request: RequestSummary): void {
    this.refusedSinceLog++;
    const now = Date.now();
    if (now - this.lastRefusalLog < REFUSAL_LOG_INTERVAL_MS) return;
    const also = this.refusedSinceLog > 1 ? ` (${this.refusedSinceLog - 1} more refused since the last report)` : '';
    this.logger.warn(
      `${request.method} ${request.url} (request ${request.id}) refused with 503: its body (up to ${bytes} bytes) does not fit, ${this.reserved} of INGEST_MAX_INFLIGHT_BYTES=${this.maxBytes} ` +
        `are held by requests being received${also}`,
    );
    this.lastRefusalLog = now;
    this.refusedSinceLog = 0;
  }
}
