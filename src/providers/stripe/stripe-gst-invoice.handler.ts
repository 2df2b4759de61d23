import { Inject, Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { SendEmailTool } from '../../connectors/mail/send-email.tool.js';
import { ExactlyOnceStep, type HandleOptions, type HandlerOutcome, WebhookEventHandler } from '../../core/index.js';
import { gstBreakdown, invoiceNumber } from './gst.js';
import type { GstInvoice } from './gst-invoice.js';
import { gstStateCode } from './indian-states.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { StripeCustomerDetails } from './stripe-customer-details.js';
import type { StripeEvent } from './stripe-event.schema.js';
import { StripeGstInvoiceAgent } from './stripe-gst-invoice.agent.js';
import { paymentOf } from './stripe-payment.js';
import { STRIPE } from './stripe-webhook.provider.js';
import { StripeConfig } from './stripe.config.js';

const INVOICED_TYPES = new Set(['payment_intent.succeeded', 'invoice.paid']);

/**
 * One GST invoice e-mail (HTML, the invoice as a PDF attached) per payment intent. The step's key is
 * the payment intent id, so three deliveries of one event, a retried job, a replay and the
 * `invoice.paid` Stripe Billing sends for the same payment all find the one invoice already sent
 * (ExactlyOnceStep), whichever of the two events comes first.
 */
@Injectable()
@WebhookEventHandler()
export class StripeGstInvoiceHandler implements WebhookEventHandler {
  readonly name = 'stripe-gst-invoice';
  readonly provider = STRIPE;

  constructor(
    @Inject(StripeConfig) private readonly settings: StripeConfig,
    private readonly agent: StripeGstInvoiceAgent,
    private readonly step: ExactlyOnceStep,
    private readonly customers: StripeCustomerDetails,
  ) {}

  handles(eventType: string): boolean {
    return INVOICED_TYPES.has(eventType);
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const stripeEvent = event.payload as unknown as StripeEvent;
    const payment = paymentOf(stripeEvent);
    if (!payment.paymentIntentId) return { status: 'ignored', reason: 'the invoice names no payment intent: GST invoices are sent per payment intent' };
    if (!payment.currency || payment.amount <= 0) return { status: 'ignored', reason: 'nothing was paid (amount 0)' };
    const paymentIntentId = payment.paymentIntentId;
    const number = invoiceNumber(paymentIntentId);

    const customer = await this.customers.of(payment);
    if (!customer.email) return { status: 'ignored', reason: 'no customer e-mail' };
    const businessState = gstStateCode(this.settings.BUSINESS_STATE_CODE) ?? this.settings.BUSINESS_STATE_CODE;
    const customerState = gstStateCode(customer.state);
    const invoice: GstInvoice = {
      number,
      date: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date(stripeEvent.created * 1000)),
      paymentIntentId,
      currency: payment.currency,
      business: { name: this.settings.BUSINESS_NAME, address: this.settings.BUSINESS_ADDRESS ?? '', gstin: this.settings.BUSINESS_GSTIN ?? null, stateCode: businessState },
      customer: { name: customer.name, email: customer.email, stateCode: customerState, state: customer.state },
      description: payment.description ?? 'Payment',
      sac: this.settings.SAC_CODE,
      gst: gstBreakdown(payment.amount, this.settings.GST_RATE, customerState !== null && customerState === businessState),
    };

    return this.step.run({
      event,
      options,
      key: `stripe-gst-invoice:${paymentIntentId}`,
      agent: this.agent.definition,
      tool: SendEmailTool.NAME,
      label: 'sending the GST invoice',
      alreadyDone: `invoice ${number} for ${paymentIntentId} was already sent`,
      produce: async (ask) => {
        const prose = await ask(this.agent.task(invoice), this.agent.data(invoice, payment.metadata));
        return this.agent.mail(prose, invoice, await renderInvoicePdf(invoice));
      },
    });
  }
}
