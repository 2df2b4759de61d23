import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailConnectorConfig } from './mail-connector.config.js';
import { MailConnector } from './mail.connector.js';
import { SendEmailTool } from './send-email.tool.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { FakeSmtp } from './testing/fake-smtp.js';
import { freePort } from '../../../test/support/private-redis.js';
import { rejectionOf } from '../../../test/support/rejection-of.js';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';

const mailConnector = (env: Record<string, string> = {}) => connectorFromEnv(MailConnector, MailConnectorConfig, env);

const USER = 'mailer@acme.test';
const PASSWORD = 's3cret-smtp-pa$$word';
const context = { eventId: 'evt_1', idempotencyKey: 'evt_1.send_email.9f2c' };

describe('send_email (nodemailer → SMTP_URL)', () => {
  let smtp: FakeSmtp;
  let mail: MailConnector;
  let tool: SendEmailTool;

  beforeAll(async () => {
    smtp = await FakeSmtp.start({ username: USER, password: PASSWORD });
    mail = mailConnector({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme Billing <billing@acme.test>' });
    tool = new SendEmailTool(mail);
  });
  afterAll(async () => {
    mail.onModuleDestroy();
    await smtp.stop();
  });
  beforeEach(() => smtp.reset());

  it('delivers the message with the configured sender, credentials and the idempotency key as Message-ID and header', async () => {
    const result = await tool.execute(
      { to: ['ravi@customer.test', 'accounts@customer.test'], subject: 'GST invoice INV-0042', text: 'Please find your invoice attached.' },
      context,
    );

    expect(result).toEqual({
      messageId: '<evt_1.send_email.9f2c@acme.test>',
      accepted: ['ravi@customer.test', 'accounts@customer.test'],
      rejected: [],
    });
    expect(smtp.messages).toHaveLength(1);
    const [received] = smtp.messages;
    expect(received.auth).toEqual({ username: USER, password: PASSWORD });
    expect(received.from).toBe('billing@acme.test');
    expect(received.to).toEqual(['ravi@customer.test', 'accounts@customer.test']);
    expect(FakeSmtp.header(received, 'Message-ID')).toBe('<evt_1.send_email.9f2c@acme.test>');
    expect(FakeSmtp.header(received, 'X-Hookwise-Idempotency-Key')).toBe('evt_1.send_email.9f2c');
    expect(FakeSmtp.header(received, 'Subject')).toBe('GST invoice INV-0042');
    expect(FakeSmtp.header(received, 'From')).toBe('Acme Billing <billing@acme.test>');
    expect(received.raw).toContain('Please find your invoice attached.');
  });

  it('attaches base64 and text files (an invoice PDF and a CSV)', async () => {
    const pdf = Buffer.from('%PDF-1.7 fake invoice bytes \u00e9').toString('base64');
    await tool.execute(
      {
        to: 'ravi@customer.test',
        subject: 'Invoice',
        text: 'Attached.',
        attachments: [
          { filename: 'INV-0042.pdf', content: pdf, encoding: 'base64', content_type: 'application/pdf' },
          { filename: 'lines.csv', content: 'item,amount\nplan,1180.00\n' },
        ],
      },
      context,
    );

    const raw = smtp.messages[0].raw;
    expect(raw).toMatch(/Content-Type: application\/pdf; name=INV-0042\.pdf/);
    expect(raw.replace(/\r?\n/g, '')).toContain(pdf);
    expect(raw).toMatch(/filename=lines\.csv/);
  });

  it('sends an HTML alternative beside the plain text when html is given', async () => {
    await tool.execute({ to: 'ravi@customer.test', subject: 'Invoice', text: 'Plain body.', html: '<p>Rich <b>body</b>.</p>' }, context);
    const raw = smtp.messages[0].raw;
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(raw).toContain('Plain body.');
    expect(raw).toContain('<p>Rich <b>body</b>.</p>');
  });

  it('hashes an idempotency key that cannot be a Message-ID local part', async () => {
    const result = await tool.execute({ to: 'a@customer.test', subject: 's', text: 't' }, { eventId: 'e', idempotencyKey: 'evt 1/<send>' });
    expect(result.messageId).toMatch(/^<[0-9a-f]{64}@acme\.test>$/);
    expect(FakeSmtp.header(smtp.messages[0], 'X-Hookwise-Idempotency-Key')).toBe('evt 1/<send>');
  });

  it('rejects bad arguments before connecting', async () => {
    const bad = [
      { to: 'not-an-address', subject: 's', text: 't' },
      { to: 'a@customer.test', subject: '', text: 't' },
      { to: 'a@customer.test', subject: 's', text: 't', bcc: 'x@customer.test' },
      { to: 'a@customer.test', subject: 's', text: 't', attachments: [{ filename: 'x.pdf', content: '***', encoding: 'base64' }] },
    ];
    for (const args of bad) {
      await expect(tool.execute(args as never, context)).rejects.toBeInstanceOf(PermanentError);
    }
    expect(smtp.messages).toHaveLength(0);
  });

  it('treats a 5xx refusal as permanent and a 4xx refusal as transient', async () => {
    smtp.rejectRecipientsWith = 550;
    const permanent = await rejectionOf(tool.execute({ to: 'gone@customer.test', subject: 's', text: 't' }, context));
    expect(permanent).toBeInstanceOf(PermanentError);
    expect(permanent.message).toMatch(/^smtp: .*550/);

    smtp.rejectRecipientsWith = 451;
    const transient = await rejectionOf(tool.execute({ to: 'busy@customer.test', subject: 's', text: 't' }, context));
    expect(transient).not.toBeInstanceOf(PermanentError);
    expect(transient.message).toMatch(/^smtp: EENVELOPE 451 .*busy@customer\.test refused$/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('reports refused credentials as permanent without echoing them', async () => {
    const wrong = mailConnector({ SMTP_URL: smtp.url.replace(encodeURIComponent(PASSWORD), 'wrong-password-123') });
    try {
      const err = await rejectionOf(new SendEmailTool(wrong).execute({ to: 'a@customer.test', subject: 's', text: 't' }, context));
      expect(err).toBeInstanceOf(PermanentError);
      expect(err.message).toMatch(/EAUTH|535/);
      expect(err.message).not.toContain('wrong-password-123');
      expect(err.message).not.toContain(PASSWORD);
    } finally {
      wrong.onModuleDestroy();
    }
  });

  it('treats an unreachable server as transient and keeps the URL credentials out of the error', async () => {
    const down = mailConnector({ SMTP_URL: `smtp://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${await freePort()}` });
    const err = await rejectionOf(new SendEmailTool(down).execute({ to: 'a@customer.test', subject: 's', text: 't' }, context));
    expect(err).not.toBeInstanceOf(PermanentError);
    expect(err.message).toMatch(/^smtp: ESOCKET connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(err.message).not.toContain(PASSWORD);
    expect(err.message).not.toContain(encodeURIComponent(PASSWORD));
    down.onModuleDestroy();
  });

  it('is unavailable without SMTP_URL and then refuses to send', async () => {
    const tool = new SendEmailTool(mailConnector({}));
    expect(tool.unavailableReason()).toBe('SMTP_URL is not set');
    expect(tool.destructive).toBe(false);
    await expect(tool.execute({ to: 'a@customer.test', subject: 's', text: 't' }, context)).rejects.toBeInstanceOf(PermanentError);
  });
});
