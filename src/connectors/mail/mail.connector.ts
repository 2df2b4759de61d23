import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { AppConfig } from '../../config/env.schema.js';
import { MailConnectorConfig } from './mail-connector.config.js';
import { connectorError } from '../../core/index.js';

export interface OutgoingMail {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  /** An HTML alternative to `text`. */
  html?: string;
  attachments?: Array<{ filename: string; content: string; encoding: 'utf8' | 'base64'; contentType?: string }>;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/** Header that carries the action's idempotency key, so a duplicate is recognisable downstream. */
export const IDEMPOTENCY_HEADER = 'X-Hookwise-Idempotency-Key';

/** Sends e-mail through the SMTP server in SMTP_URL with nodemailer. */
@Injectable()
export class MailConnector implements OnModuleDestroy {
  private transporter: Transporter<SMTPTransport.SentMessageInfo> | null = null;

  constructor(
    @Inject(MailConnectorConfig) private readonly settings: MailConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  unavailableReason(): string | null {
    return this.settings.SMTP_URL ? null : 'SMTP_URL is not set';
  }

  async send(mail: OutgoingMail, idempotencyKey: string): Promise<SentMail> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('smtp', reason, { permanent: true, secrets: [] });
    try {
      const transport = await this.transport();
      const info = await transport.sendMail({
        from: this.settings.MAIL_FROM,
        to: mail.to,
        cc: mail.cc,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments,
        // The same action always produces the same Message-ID, so a resend is a recognisable duplicate.
        messageId: this.messageId(idempotencyKey),
        headers: { [IDEMPOTENCY_HEADER]: idempotencyKey },
      });
      return { messageId: info.messageId, accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
    } catch (err) {
      throw this.classify(err);
    }
  }

  onModuleDestroy(): void {
    this.transporter?.close();
    this.transporter = null;
  }

  /** nodemailer is imported on first use: it costs ~14 MB of memory in a process that may never send mail. */
  private async transport(): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
    if (this.transporter) return this.transporter;
    const { default: nodemailer } = await import('nodemailer');
    // Keys in SMTP_URL's query string (e.g. ?connectionTimeout=60000) win over these defaults.
    this.transporter ??= nodemailer.createTransport({
      url: this.settings.SMTP_URL,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: this.config.CONNECTOR_TIMEOUT_MS,
    } as SMTPTransport.Options);
    return this.transporter;
  }

  private messageId(idempotencyKey: string): string {
    const local = /^[A-Za-z0-9._-]{1,128}$/.test(idempotencyKey)
      ? idempotencyKey
      : createHash('sha256').update(idempotencyKey).digest('hex');
    return `<${local}@${senderDomain(this.settings.MAIL_FROM)}>`;
  }

  /** SMTP 5xx replies and bad messages are permanent; 4xx replies and connection trouble are retried. */
  private classify(err: unknown): Error {
    const e = err as { code?: string; responseCode?: number; message?: string };
    const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
    const permanent =
      responseCode !== undefined
        ? responseCode >= 500
        : ['EAUTH', 'EENVELOPE', 'EMESSAGE', 'ECONFIG'].includes(e.code ?? '');
    const detail = [e.code, responseCode, e.message ?? String(err)].filter((part) => part !== undefined).join(' ');
    return connectorError('smtp', detail, { permanent, secrets: this.secrets() });
  }

  private secrets(): string[] {
    const url = this.settings.SMTP_URL;
    if (!url) return [];
    const secrets = [url];
    try {
      const parsed = new URL(url);
      secrets.push(decodeURIComponent(parsed.password), parsed.password);
    } catch {
      // Validated at boot as smtp(s)://; nothing more to extract from an unparsable one.
    }
    return secrets;
  }
}

function addresses(list: Array<string | { address: string }> | undefined): string[] {
  return (list ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.address));
}

function senderDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'hookwise.local';
}
