import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../config/env.schema.js';
import { ThrottledReport } from '../logging/throttled-report.js';
import { registerRequestBodyBudgetHook } from './request-body-budget.hook.js';

/** What a refusal's warning says of the request (Fastify's request has these). */
interface RequestSummary {
  method: string;
  url: string;
  id: string;
}

/**
 * The bytes of request bodies this process may hold at once (INGEST_MAX_INFLIGHT_BYTES; 0: no
 * bound). Every body is read whole into memory before its signature can be checked, so without a
 * bound anyone could make the process hold as many bodies as they open uploads (200 of 5 MB at once
 * took one api process to 0.6–4 GB: docs/operations.md, Request bodies in memory) and have it killed with every delivery in flight.
 * What counts is what bodies have really sent, from the first byte until their answer is sent or
 * their connection closes (see request-body-budget.hook.ts): a client that declares a large body and
 * sends it slowly holds only what it has sent.
 */
@Injectable()
export class RequestBodyBudget implements OnModuleInit {
  private readonly logger = new Logger(RequestBodyBudget.name);
  private readonly maxBytes: number;
  private readonly bodyLimit: number;
  private held = 0;
  private refused = 0;
  /** While refusals go on, one line per 5 s, with a count. */
  private readonly refusalReport = new ThrottledReport();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxBytes = config.INGEST_MAX_INFLIGHT_BYTES;
    this.bodyLimit = config.WEBHOOK_BODY_LIMIT;
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // INGEST_MAX_INFLIGHT_BYTES=0: no bound, no hook.
    if (this.maxBytes > 0 && fastify) registerRequestBodyBudgetHook(fastify, this, this.bodyLimit);
  }

  /** Bytes of bodies received by requests not answered yet. */
  get bytesInFlight(): number {
    return this.held;
  }

  /** Requests refused since the start because their body did not fit. */
  get refusals(): number {
    return this.refused;
  }

  /**
   * Whether a body of `bytes` would fit beside what is held now: checked when a request's headers
   * arrive, so that one that cannot fit is refused before it sends its body. INGEST_MAX_INFLIGHT_BYTES
   * is at least WEBHOOK_BODY_LIMIT (checked at start), so any body fits when nothing else is held.
   */
  admits(bytes: number, request: RequestSummary): boolean {
    if (this.held + bytes <= this.maxBytes) return true;
    this.refuse(bytes, request, 'does not fit');
    return false;
  }

  /** Takes `bytes` that have just arrived; false (the request is to be cut) when they do not fit. */
  take(bytes: number, request: RequestSummary): boolean {
    if (this.held + bytes <= this.maxBytes) {
      this.held += bytes;
      return true;
    }
    this.refuse(bytes, request, 'was cut while it arrived: it no longer fits');
    return false;
  }

  release(bytes: number): void {
    this.held -= bytes;
  }

  private refuse(bytes: number, request: RequestSummary, what: string): void {
    this.refused++;
    this.refusalReport.occurred((others) => {
      const also = others > 0 ? ` (${others} more refused since the last report)` : '';
      this.logger.warn(
        `${request.method} ${request.url} (request ${request.id}) refused with 503: its body ${what} (${bytes} more bytes; ${this.held} of INGEST_MAX_INFLIGHT_BYTES=${this.maxBytes} ` +
          `are held by bodies being received or answered)${also}`,
      );
    });
  }
}
