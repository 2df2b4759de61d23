import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, connectorError, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { GithubConnector } from '../../connectors/github/github.connector.js';
import { credentialHandle } from './credential-handle.js';
import { CredentialsConnector } from '../../connectors/credentials/credentials.connector.js';

const input = z.strictObject(credentialHandle);

export interface RevokedCredential {
  service: string;
  fingerprint: string;
  status: number;
}

/**
 * `revoke_credential`: fetches the leaked secret from GitHub (the alert's `secret`) at execution
 * time and POSTs it to the service's revoke endpoint, and nowhere else. Its arguments, result and
 * errors carry only the handle and a fingerprint. Destructive: needs approval by default.
 */
@Injectable()
@AgentTool()
export class RevokeCredentialTool implements AgentTool<typeof input> {
  static readonly NAME = 'revoke_credential';
  readonly name = RevokeCredentialTool.NAME;
  readonly description = 'Revoke a leaked credential (identified by its GitHub secret scanning alert) through the service\'s revoke endpoint.';
  readonly input = input;
  readonly destructive = true;

  constructor(
    @Inject(CredentialsConnector) private readonly credentials: CredentialsConnector,
    @Inject(GithubConnector) private readonly github: GithubConnector,
  ) {}

  unavailableReason(): string | null {
    return this.credentials.anyRevoke() ?? this.github.unavailableReason();
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<RevokedCredential> {
    const a = parseToolArgs(this.name, input, args);
    const unavailable = this.credentials.revokeUnavailable(a.service);
    if (unavailable) throw connectorError('credentials', unavailable, { permanent: true, secrets: [] });
    const alert = await this.github.secretScanningAlert(a.owner, a.repo, a.alert_number);
    const { status } = await this.credentials.revoke(
      a.service,
      {
        service: a.service,
        secret_type: a.secret_type,
        secret: alert.secret,
        handle: { repository: `${a.owner}/${a.repo}`, alert_number: a.alert_number },
        fingerprint: alert.fingerprint,
        event_id: context.eventId,
      },
      context.idempotencyKey,
    );
    return { service: a.service, fingerprint: alert.fingerprint, status };
  }
}
