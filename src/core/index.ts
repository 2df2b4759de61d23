/**
 * The core's public surface: everything a provider (src/providers/<name>/) or a connector
 * (src/connectors/<vendor>/) may use from the core, and nothing else (`npm run lint` refuses a deep
 * import from their production code; their tests may reach further). See docs/adding-a-provider.md.
 */

// A provider: its definition, verification and the module the core builds for it.
export { defineWebhookProvider, type ProviderRoles, type WebhookProvider, type WebhookProviderSpec } from './provider-kit/define-webhook-provider.js';
export { WebhookProviderDefinition, type DeliveryDescription, type HandshakeReply, type RedactedPayload } from './ingest/webhook-provider-definition.js';
export { InvalidDeliveryError } from './ingest/invalid-delivery.error.js';
export { signatureFailure, type SignatureFailureReason, type VerificationResult, type WebhookVerifier } from './ingest/verification/webhook-verifier.js';
export { HmacSignatureVerifier, type HmacSignatureOptions } from './ingest/verification/hmac-signature.verifier.js';
export { TimestampedHmacVerifier, type TimestampedHmacOptions } from './ingest/verification/timestamped-hmac.verifier.js';
export { StandardWebhooksVerifier } from './ingest/verification/standard-webhooks.verifier.js';

// Handling its events: outcomes, and the errors that decide retry, DEAD or wait.
export { WebhookEventHandler, type HandleOptions, type HandlerOutcome } from './processing/event-handler.js';
export { PermanentError } from './processing/permanent-error.js';
export { RateLimitedError } from './processing/rate-limited-error.js';
export { ActionInFlightError } from './processing/action-in-flight.error.js';

// Agents: their definition, the runner, and the exactly-once step agent work is built on.
export type { AgentDefinition } from './agents/agent-definition.js';
export { AgentRunner } from './agents/agent-runner.js';
export { ExactlyOnceStep } from './agents/exactly-once-step.js';
export type { AskAgent, ExactlyOnceStepRequest } from './agents/exactly-once-step-request.js';
export { SUBJECT_HISTORY_TOOL, SubjectHistory } from './agents/subject-history.js';
export { truncateUtf8 } from './agents/truncate-utf8.js';
export { untrustedDataBlock } from './agents/untrusted-data.js';

// Actions: tools (what connectors provide), the guarded call, stable keys.
export { AgentTool, type ActionAttempt, type ToolExecutionContext, type ToolPolicy } from './actions/agent-tool.js';
export { ActionService } from './actions/action.service.js';
export type { ActionDecision, DecisionSource } from './actions/action-decision.js';
export { idempotencyKeyDigest } from './actions/idempotency-key.js';

// Writing a connector: error classification, argument checks, redaction, rate-limit waits.
export { connectorError, connectorRateLimited, type ConnectorErrorOptions } from './connectors/connector-error.js';
export { isPermanentHttpStatus } from './connectors/is-permanent-http-status.js';
export { networkFailureDetail } from './connectors/network-failure-detail.js';
export { parseToolArgs } from './connectors/parse-tool-args.js';
export { redactSecrets } from './connectors/redact-secrets.js';
export { rateLimitPauseMs } from './queue/retry-after.js';

// State of a provider's own (its tables, through the shared client) and queues of its own (delayed work).
export { PrismaService } from './database/prisma.service.js';
export { QueueModule } from './queue/queue.module.js';

// Reconciliation: a reconciler compares the sender's own record with the ledger (see reconciler.ts).
export { WebhookReconciler, type Reconciler } from './reconciliation/reconciler.js';
export type { ReconcileResult } from './reconciliation/reconcile-result.js';
export type { ReconciliationContext, RetrievedDelivery, RetrievedOutcome } from './reconciliation/reconciliation-context.js';
