import { Module } from '@nestjs/common';
import { GithubConnectorModule } from '../github/github-connector.module.js';
import { CredentialsConnector } from './credentials.connector.js';
import { RevokeCredentialTool } from './revoke-credential.tool.js';
import { RotateCredentialTool } from './rotate-credential.tool.js';

/** Leaked-credential response: revoke_credential and rotate_credential (the secret is read from GitHub by the tool). */
@Module({
  imports: [GithubConnectorModule],
  providers: [CredentialsConnector, RevokeCredentialTool, RotateCredentialTool],
  exports: [CredentialsConnector],
})
export class CredentialsConnectorModule {}
