import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  /** Credentials the client authenticated with, if any. */
  auth: { username: string; password: string } | null;
  from: string;
  to: string[];
  /** The message exactly as received (RFC 5322 source). */
  raw: string;
}

/**
 * A local SMTP server (smtp-server) that captures every message nodemailer delivers to it. Plain
 * SMTP without STARTTLS, with AUTH allowed over it, and credentials checked when `credentials` is set.
 */
export class FakeSmtp {
  readonly messages: CapturedMail[] = [];
  /** SMTP reply code to refuse every recipient with (e.g. 550 permanent, 451 transient); null accepts. */
  rejectRecipientsWith: number | null = null;

  private constructor(
    private readonly server: SMTPServer,
    private readonly credentials: { username: string; password: string } | null,
  ) {}

  static async start(credentials: { username: string; password: string } | null = null): Promise<FakeSmtp> {
    let fake: FakeSmtp | undefined;
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: credentials === null,
      logger: false,
      onAuth(auth, session, callback) {
        const expected = fake!.credentials;
        if (expected && (auth.username !== expected.username || auth.password !== expected.password)) {
          return callback(new Error('Invalid username or password'));
        }
        callback(null, { user: { username: auth.username ?? '', password: auth.password ?? '' } });
      },
      onRcptTo(address, session, callback) {
        const code = fake!.rejectRecipientsWith;
        if (code === null) return callback();
        const err = Object.assign(new Error(`recipient ${address.address} refused`), { responseCode: code });
        callback(err);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const user = session.user as unknown as { username: string; password: string } | undefined;
          fake!.messages.push({
            auth: user ? { username: user.username, password: user.password } : null,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    fake = new FakeSmtp(server, credentials);
    return fake;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** The value for SMTP_URL, with the credentials in it when the server checks them. */
  get url(): string {
    const auth = this.credentials
      ? `${encodeURIComponent(this.credentials.username)}:${encodeURIComponent(this.credentials.password)}@`
      : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  reset(): void {
    this.messages.length = 0;
    this.rejectRecipientsWith = null;
  }

  /** One header's (unfolded) value from a captured message. */
  static header(mail: CapturedMail, name: string): string | undefined {
    const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(name.length + 1).trim();
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
