import { Module } from '@nestjs/common';
import { MailConnector } from './mail.connector.js';
import { SendEmailTool } from './send-email.tool.js';

/** Outbound e-mail over SMTP and the send_email tool. */
@Module({
  providers: [MailConnector, SendEmailTool],
  exports: [MailConnector],
})
export class MailConnectorModule {}
