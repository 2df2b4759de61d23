import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { type AgentDefinition, PermanentError, SUBJECT_HISTORY_TOOL } from '../../core/index.js';
import { SendEmailTool } from '../../connectors/mail/send-email.tool.js';
import { escapeHtml } from './stripe-gst-invoice.agent.js';

export const POST_SLACK_MESSAGE = 'post_slack_message';

const answer = z.strictObject({
  subject: z.string().min(1).max(150).describe('Subject line of the e-mail: short, calm, no alarm words.'),
  message: z
    .string()
    .min(1)
    .max(1500)
    .describe(
      'The e-mail body: a greeting, what happened in plain words (from the failure details), and a kind nudge to update the payment method. At most about 100 words. Do not include links, amounts or sign-off; they are added below it.',
    ),
});
export type RecoveryAnswer = z.infer<typeof answer>;

/** What the recovery agent is told about one failed payment (all computed by our code). */
export interface FailedPayment {
  amount: string;
  failuresThisMonth: number;
  link: string | null;
  customerName: string | null;
}

export interface RecoveryMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The failed-payment recovery agent: reads the failure and the customer's recent history, writes a short personal message. */
@Injectable()
export class StripeRecoveryAgent {
  readonly definition: AgentDefinition<RecoveryAnswer> = {
    name: 'stripe-payment-recovery',
    system: [
      "You write a short, personal e-mail to a customer whose payment just failed, so that they fix it. Be warm and specific, never blaming.",
      'Explain the failure from its decline code and message in plain words (insufficient funds, expired card, bank declined, authentication needed...).',
      "When this is not the customer's first failed payment this month, say so gently (\"this is the third payment that didn't go through this month\").",
      `You may call ${SUBJECT_HISTORY_TOOL} to see the customer's recent events.`,
    ].join('\n'),
    tools: [SUBJECT_HISTORY_TOOL],
    // The e-mail (and, for large amounts, the Slack post) is sent by the handler, never by the model.
    stepTools: [SendEmailTool.NAME, POST_SLACK_MESSAGE],
    answer,
  };

  task(payment: FailedPayment): string {
    const nth = ordinal(payment.failuresThisMonth);
    return [
      `A payment of ${payment.amount} failed. It is the ${nth} failed payment of this customer this calendar month (counted from our ledger).`,
      payment.link ? 'A link to fix it is added below your message.' : 'No link can be given; ask them to update their payment method in their account.',
      'The failure details and the customer follow.',
    ].join(' ');
  }

  data(failure: unknown, customerName: string | null): Record<string, unknown> {
    return { failure, customer: { name: customerName } };
  }

  mail(answer: RecoveryAnswer, payment: FailedPayment, to: string, businessName: string): RecoveryMail {
    const footer = [`Amount: ${payment.amount}`, ...(payment.link ? [`Update your payment: ${payment.link}`] : [])];
    const text = [answer.message.trim(), '', ...footer, '', businessName].join('\n');
    const html = [
      '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#222">',
      ...answer.message.trim().split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
      `<p>Amount: ${escapeHtml(payment.amount)}</p>`,
      ...(payment.link ? [`<p><a href="${escapeHtml(payment.link)}">Update your payment</a></p>`] : []),
      `<p>${escapeHtml(businessName)}</p>`,
      '</body></html>',
    ].join('\n');
    for (const figure of [payment.amount, ...(payment.link ? [payment.link] : [])]) {
      if (!text.includes(figure) || !html.includes(escapeHtml(figure))) throw new PermanentError(`the recovery e-mail lacks ${figure}`);
    }
    return { to, subject: answer.subject, text, html };
  }
}

export function ordinal(n: number): string {
  const words = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
  if (n < words.length) return words[n];
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
