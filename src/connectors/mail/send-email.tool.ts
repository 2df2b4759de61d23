import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { MailConnector, type SentMail } from './mail.connector.js';

const recipients = z.union([z.email(), z.array(z.email()).min(1).max(50)]);

const input = z.strictObject({
  to: recipients.describe('Recipient address, or a list of them.'),
  cc: recipients.optional().describe('Optional copy recipients.'),
  subject: z.string().trim().min(1).max(998),
  text: z.string().min(1).max(200_000).describe('Plain-text body.'),
  html: z.string().min(1).max(500_000).optional().describe('Optional HTML body, sent alongside the plain-text one (multipart/alternative).'),
  attachments: z
    .array(
      z
        .strictObject({
          filename: z.string().trim().min(1).max(255).describe('e.g. invoice-INV-0042.pdf'),
          content: z.string().max(10_000_000).describe('File content: plain text, or base64 when encoding is base64.'),
          encoding: z.enum(['utf8', 'base64']).optional().describe('utf8 (default) or base64 for binary files such as PDFs.'),
          content_type: z.string().max(255).optional().describe('MIME type, e.g. application/pdf; guessed from the filename when omitted.'),
        })
        .refine((a) => a.encoding !== 'base64' || /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(a.content), {
          message: 'content is not valid base64',
          path: ['content'],
        }),
    )
    .max(10)
    .optional()
    .describe('Files to attach, e.g. a GST invoice as a base64 PDF or a CSV as text.'),
});

/** `send_email`: one e-mail through SMTP_URL, from MAIL_FROM. */
@Injectable()
@AgentTool()
export class SendEmailTool implements AgentTool<typeof input> {
  static readonly NAME = 'send_email';
  readonly name = SendEmailTool.NAME;
  readonly description =
    'Send one e-mail (plain text, optionally with an HTML alternative and attachments such as an invoice PDF) from the configured sender address.';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(MailConnector) private readonly mail: MailConnector) {}

  unavailableReason(): string | null {
    return this.mail.unavailableReason();
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<SentMail> {
    const a = parseToolArgs(this.name, input, args);
    return this.mail.send(
      {
        to: list(a.to),
        cc: a.cc === undefined ? undefined : list(a.cc),
        subject: a.subject,
        text: a.text,
        html: a.html,
        attachments: a.attachments?.map((f) => ({
          filename: f.filename,
          content: f.content,
          encoding: f.encoding ?? 'utf8',
          contentType: f.content_type,
        })),
      },
      context.idempotencyKey,
    );
  }
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}
