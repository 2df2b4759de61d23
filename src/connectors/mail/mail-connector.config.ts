import { IsOptional, IsString, Matches } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';

/** Settings of the mail connector (MailConnector and send_email). */
@SettingsGroup('Mail connector', 'Sending e-mail through an SMTP server (send_email).')
export class MailConnectorConfig {
  @Setting({
    secret: true,
    description: "The SMTP server, smtp(s)://user:password@host:port; keys in its query string (e.g. ?connectionTimeout=60000) are nodemailer's options. Unset: send_email runs as a dry run.",
    example: 'smtp://user:password@smtp.example.com:587',
  })
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Setting({ description: "Sender of send_email; its domain is also the domain of each e-mail's Message-ID." })
  @IsString()
  MAIL_FROM = 'Hookwise <hookwise@localhost>';
}
