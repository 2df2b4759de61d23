import { Module } from '@nestjs/common';
import { CredentialsConnector } from './credentials.connector.js';

/**
 * Leaked-credential endpoints (revoke, replacement, per service) and the secrets store. The tools
 * that use it, revoke_credential and rotate_credential, read the secret from GitHub first, so they
 * live with the security provider (src/providers/security/), which joins the two connectors.
 */
@Module({
  providers: [CredentialsConnector],
  exports: [CredentialsConnector],
})
export class CredentialsConnectorModule {}
