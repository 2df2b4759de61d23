import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { type AgentDefinition, PermanentError } from '../../core/index.js';
import { SendEmailTool } from '../../connectors/mail/send-email.tool.js';
import { formatMoney } from './gst.js';
import { type GstInvoice, invoiceLines } from './gst-invoice.js';

// The answer's schema goes to the API as the output format; the descriptions are what the model reads.
const prose = z.strictObject({
  greeting: z.string().min(1).max(200).describe('One short greeting line addressing the customer by name when known, e.g. "Hi Ravi,".'),
  thank_you: z.string().min(1).max(600).describe('One or two warm sentences thanking the customer for the payment. No amounts, taxes or numbers: the invoice states them.'),
  purchase_line: z.string().min(1).max(300).describe('One sentence saying what was bought, from the payment description. No amounts or numbers of money.'),
});
export type InvoiceProse = z.infer<typeof prose>;

/** The mail sent for one invoice: send_email's arguments. */
export interface InvoiceMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; content: string; encoding: 'base64'; content_type: string }>;
}

/**
 * The GST invoice agent: Claude writes the prose of the invoice e-mail (greeting, thanks, what was
 * bought) as a structured answer; every number (amounts, GST, invoice number) comes from our code
 * and is checked in the final mail.
 */
@Injectable()
export class StripeGstInvoiceAgent {
  readonly definition: AgentDefinition<InvoiceProse> = {
    name: 'stripe-gst-invoice',
    system: [
      'You write the short personal prose of the e-mail that sends a customer their GST tax invoice after a successful payment.',
      'Be warm, brief and professional. Never state amounts, tax figures, invoice numbers or dates: the invoice below your words gives them.',
    ].join('\n'),
    tools: [],
    // The e-mail is sent by the handler's exactly-once step, never by the model itself.
    stepTools: [SendEmailTool.NAME],
    answer: prose,
  };

  task(invoice: GstInvoice): string {
    return `Write the prose for the e-mail that sends tax invoice ${invoice.number} to the customer. The payment and customer details follow.`;
  }

  /** Untrusted data blocks: what the customer and the payment say about themselves. */
  data(invoice: GstInvoice, metadata: Record<string, string>): Record<string, unknown> {
    return { payment: { description: invoice.description, customer_name: invoice.customer.name, metadata } };
  }

  mail(answer: InvoiceProse, invoice: GstInvoice, pdf: Buffer): InvoiceMail {
    const lines = invoiceLines(invoice, 'symbol');
    const { business } = invoice;
    const text = [
      answer.greeting,
      '',
      answer.thank_you,
      answer.purchase_line,
      '',
      `Tax invoice ${invoice.number} (${invoice.date})`,
      ...lines.map(([label, amount]) => `${label}: ${amount}`),
      `SAC ${invoice.sac}${business.gstin ? ` · GSTIN ${business.gstin}` : ''}`,
      '',
      `The invoice is attached as ${invoice.number}.pdf.`,
      '',
      business.name,
    ].join('\n');
    const rows = lines
      .map(([label, amount], i) => `<tr${i === lines.length - 1 ? ' style="font-weight:bold"' : ''}><td style="padding:4px 16px 4px 0">${escapeHtml(label)}</td><td style="padding:4px 0;text-align:right">${escapeHtml(amount)}</td></tr>`)
      .join('');
    const html = [
      '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#222">',
      `<p>${escapeHtml(answer.greeting)}</p>`,
      `<p>${escapeHtml(answer.thank_you)} ${escapeHtml(answer.purchase_line)}</p>`,
      `<h3 style="margin-bottom:4px">Tax invoice ${escapeHtml(invoice.number)}</h3>`,
      `<p style="margin-top:0;color:#555">${escapeHtml(invoice.date)} · SAC ${escapeHtml(invoice.sac)}${business.gstin ? ` · GSTIN ${escapeHtml(business.gstin)}` : ''}</p>`,
      `<table style="border-collapse:collapse">${rows}</table>`,
      `<p>The invoice is attached as ${escapeHtml(invoice.number)}.pdf.</p>`,
      `<p>${escapeHtml(business.name)}</p>`,
      '</body></html>',
    ].join('\n');
    const mail: InvoiceMail = {
      to: invoice.customer.email,
      subject: `Tax invoice ${invoice.number} from ${business.name}`,
      text,
      html,
      attachments: [{ filename: `${invoice.number}.pdf`, content: pdf.toString('base64'), encoding: 'base64', content_type: 'application/pdf' }],
    };
    checkFigures(mail, invoice);
    return mail;
  }
}

/** Our numbers, not the model's: the invoice number and every amount must be in both bodies, and the prose may state no other amount of this currency. */
export function checkFigures(mail: Pick<InvoiceMail, 'text' | 'html'>, invoice: GstInvoice): void {
  const expected = [invoice.number, ...invoiceLines(invoice, 'symbol').map(([, amount]) => amount)];
  for (const [name, body] of [['text', mail.text], ['html', mail.html]] as const) {
    const missing = expected.filter((figure) => !body.includes(name === 'html' ? escapeHtml(figure) : figure));
    if (missing.length) throw new PermanentError(`the invoice e-mail's ${name} body lacks ${missing.join(', ')}`);
  }
  const symbol = formatMoney(0, invoice.currency).replace(/[\d.,\s]/g, '');
  const stated = mail.text.match(new RegExp(`(?:${escapeRegExp(symbol)}|${invoice.currency})\\s?[\\d,]+(?:\\.\\d+)?`, 'g')) ?? [];
  const ours = new Set(invoiceLines(invoice, 'symbol').map(([, amount]) => amount));
  const foreign = stated.filter((s) => !ours.has(s));
  // The model was told not to state amounts; a retry asks it again.
  if (foreign.length) throw new Error(`the invoice e-mail states amounts that are not the invoice's: ${foreign.join(', ')}`);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
