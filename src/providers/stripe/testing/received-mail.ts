import { simpleParser } from 'mailparser';
import type { CapturedMail } from '../../../connectors/mail/testing/fake-smtp.js';
import { pdfText } from './pdf-text.js';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string | undefined;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
  /** Text of the first PDF attachment, whitespace made single spaces ('' without one). */
  pdf: string;
}

/** A message the fake SMTP server captured, parsed as a mail client would (mailparser), its PDF read back. */
export async function receivedMail(mail: CapturedMail): Promise<ReceivedMail> {
  const parsed = await simpleParser(mail.raw);
  const attachments = parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content }));
  const pdf = attachments.find((a) => a.contentType === 'application/pdf');
  return {
    to: mail.to,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    idempotencyKey: parsed.headers.get('x-hookwise-idempotency-key') as string | undefined,
    attachments,
    pdf: pdf ? await pdfText(pdf.content) : '',
  };
}
