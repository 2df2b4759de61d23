import { Inject, Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { SendEmailTool } from '../../connectors/mail/send-email.tool.js';
import {
  ActionService,
  ExactlyOnceStep,
  type HandleOptions,
  type HandlerOutcome,
  PermanentError,
  RateLimitedError,
  SubjectHistory,
  WebhookEventHandler,
} from '../../core/index.js';
import { formatMoney, majorUnitString } from './gst.js';
import { StripeCustomerDetails } from './stripe-customer-details.js';
import type { StripeEvent } from './stripe-event.schema.js';
import { paymentOf } from './stripe-payment.js';
import { type FailedPayment, POST_SLACK_MESSAGE, StripeRecoveryAgent } from './stripe-recovery.agent.js';
import { STRIPE } from './stripe-webhook.provider.js';
import { StripeConfig } from './stripe.config.js';

export const FAILED_TYPES = new Set(['payment_intent.payment_failed', 'invoice.payment_failed']);
/** An invoice.payment_failed this close to a payment_intent.payment_failed of the same customer is the same failure. */
const SAME_FAILURE_MS = 10 * 60_000;

/**
 * A failed payment → one short personal recovery e-mail (and a Slack post for large amounts), at
 * most one per customer per RECOVERY_COOLDOWN. One failed subscription payment sends both
 * `payment_intent.payment_failed` and `invoice.payment_failed`: the second finds the first's
 * message (the cooldown) and is recorded IGNORED with the reason. The step's key is the customer
 * and the cooldown window the event falls in, so two failures handled at the same moment cannot
 * both send; a message sent in the previous window is found in the ledger (the event that sent it
 * is SUCCEEDED).
 */
@Injectable()
@WebhookEventHandler()
export class StripeRecoveryHandler implements WebhookEventHandler {
  readonly name = 'stripe-payment-recovery';
  readonly provider = STRIPE;

  constructor(
    @Inject(StripeConfig) private readonly settings: StripeConfig,
    private readonly agent: StripeRecoveryAgent,
    private readonly step: ExactlyOnceStep,
    private readonly actions: ActionService,
    private readonly history: SubjectHistory,
    private readonly customers: StripeCustomerDetails,
  ) {}

  handles(eventType: string): boolean {
    return FAILED_TYPES.has(eventType);
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const stripeEvent = event.payload as unknown as StripeEvent;
    const payment = paymentOf(stripeEvent);
    const who = event.subject ?? payment.paymentIntentId;
    if (!who) return { status: 'ignored', reason: 'the failed payment names no customer, e-mail or payment intent' };
    const cooldown = cooldownMs(this.settings.RECOVERY_COOLDOWN);

    // The customer's recent Stripe events, from the ledger: the cooldown, and how many failures this month.
    const recent = (await this.history.recent(event, 20)).filter((e) => e.provider === STRIPE);
    const received = event.receivedAt.getTime();
    const sent = recent.find((e) => FAILED_TYPES.has(e.eventType) && e.status === 'SUCCEEDED' && received - Date.parse(e.receivedAt) < cooldown);
    if (sent && !options.repeatActions) {
      return { status: 'ignored', reason: `a recovery message was already sent to ${who} within RECOVERY_COOLDOWN (${this.settings.RECOVERY_COOLDOWN}): event ${sent.id}` };
    }
    const customer = await this.customers.of(payment);
    if (!customer.email) return { status: 'ignored', reason: 'no customer e-mail' };

    const failed: FailedPayment = {
      amount: formatMoney(payment.amount, payment.currency),
      failuresThisMonth: failuresThisMonth(event, recent),
      link: payment.hostedInvoiceUrl ?? this.settings.PAYMENT_UPDATE_URL ?? null,
      customerName: customer.name,
    };
    const key = `stripe-payment-recovery:${who}:${Math.floor((stripeEvent.created * 1000) / cooldown)}`;
    const outcome = await this.step.run({
      event,
      options,
      key,
      agent: this.agent.definition,
      tool: SendEmailTool.NAME,
      label: 'sending the recovery message',
      alreadyDone: `a recovery message was already sent to ${who} within RECOVERY_COOLDOWN (${this.settings.RECOVERY_COOLDOWN})`,
      produce: async (ask) => {
        const failure = payment.failure
          ? { message: payment.failure.message, code: payment.failure.code, decline_code: payment.failure.declineCode }
          : { message: 'the invoice payment failed; Stripe gave no reason on this event' };
        const answer = await ask(this.agent.task(failed), this.agent.data(failure, customer.name));
        return this.agent.mail(answer, failed, customer.email!, this.settings.BUSINESS_NAME);
      },
    });
    if (outcome.status === 'succeeded' && this.isHighValue(payment.amount, payment.currency)) await this.postToSlack(event, key, failed, who, options);
    return outcome;
  }

  private isHighValue(amountMinor: number, currency: string): boolean {
    const min = this.settings.RECOVERY_SLACK_MIN_AMOUNT;
    return min !== undefined && Number(majorUnitString(amountMinor, currency)) >= min;
  }

  /** The same message, for the team: posted once under a key derived from the e-mail's. */
  private async postToSlack(event: WebhookEvent, key: string, failed: FailedPayment, who: string, options: HandleOptions): Promise<void> {
    const replayScoped = Boolean(options.dryRun || options.repeatActions);
    const mail = await this.actions.findByKey(replayScoped && options.replayId ? `${key}:replay:${options.replayId}` : key);
    const sentText = (mail?.arguments as { text?: string } | null)?.text;
    if (!mail || mail.eventId !== event.id || !sentText) return;
    const outcome = await this.actions.execute({
      eventId: event.id,
      runId: mail.runId,
      agent: this.agent.definition.name,
      allowedTools: [POST_SLACK_MESSAGE],
      tool: POST_SLACK_MESSAGE,
      args: {
        channel: this.settings.RECOVERY_SLACK_CHANNEL,
        text: `:warning: Payment of ${failed.amount} failed for ${who} (${ordinalCount(failed.failuresThisMonth)} this month). Recovery e-mail sent:\n>>> ${sentText}`,
      },
      dedupeKey: `${key}:slack`,
      dryRun: options.dryRun,
      replayId: replayScoped ? options.replayId : undefined,
    });
    if (outcome.kind === 'invalid_arguments') throw new PermanentError(`posting the failed payment to Slack: ${outcome.error}`);
    if (outcome.action.status === 'FAILED') {
      const message = `posting the failed payment to Slack failed: ${outcome.action.error}`;
      if (outcome.retryAfterMs !== undefined) throw new RateLimitedError(message, outcome.retryAfterMs);
      throw outcome.permanent ? new PermanentError(message) : new Error(message);
    }
  }
}

function ordinalCount(n: number): string {
  return n === 1 ? 'first failure' : `failure no. ${n}`;
}

/**
 * Failed payments this calendar month (UTC), this one included: each failure has one
 * payment_intent.payment_failed; an invoice.payment_failed counts only when no such event came
 * just before it (it is then the only trace of its failure).
 */
function failuresThisMonth(event: WebhookEvent, recent: Array<{ eventType: string; receivedAt: string }>): number {
  const received = event.receivedAt;
  const monthStart = Date.UTC(received.getUTCFullYear(), received.getUTCMonth(), 1);
  const earlier = recent.filter((e) => e.eventType === 'payment_intent.payment_failed' && Date.parse(e.receivedAt) >= monthStart);
  const twin = event.eventType === 'invoice.payment_failed' && earlier.some((e) => received.getTime() - Date.parse(e.receivedAt) < SAME_FAILURE_MS);
  return earlier.length + (twin ? 0 : 1);
}

/** RECOVERY_COOLDOWN in milliseconds. */
export function cooldownMs(value: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`RECOVERY_COOLDOWN ${value} is not a duration`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

