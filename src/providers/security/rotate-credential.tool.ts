import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, connectorError, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { GithubConnector, secretFingerprint } from '../../connectors/github/github.connector.js';
import { credentialHandle } from './credential-handle.js';
import { CredentialsConnector, type StoredSecret } from '../../connectors/credentials/credentials.connector.js';

const input = z.strictObject(credentialHandle);

export interface RotatedCredential extends StoredSecret {
  service: string;
  /** Fingerprint of the replacement (never the replacement itself). */
  fingerprint: string;
  replaces: string;
}

/**
 * `rotate_credential`: asks the service's replacement endpoint for a new credential and writes it
 * to the secrets store (<prefix>/<service>). The new value goes from one to the other and nowhere
 * else; the result names the store path, its version and the fingerprints. Destructive: needs
 * approval by default.
 */
@Injectable()
@AgentTool()
export class RotateCredentialTool implements AgentTool<typeof input> {
  static readonly NAME = 'rotate_credential';
  readonly name = RotateCredentialTool.NAME;
  readonly description = 'Issue a replacement for a leaked credential and write it to the secrets store.';
  readonly input = input;
  readonly destructive = true;

  constructor(
    @Inject(CredentialsConnector) private readonly credentials: CredentialsConnector,
    @Inject(GithubConnector) private readonly github: GithubConnector,
  ) {}

  unavailableReason(): string | null {
    return this.credentials.anyRotate() ?? this.github.unavailableReason();
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<RotatedCredential> {
    const a = parseToolArgs(this.name, input, args);
    const unavailable = this.credentials.rotateUnavailable(a.service);
    if (unavailable) throw connectorError('credentials', unavailable, { permanent: true, secrets: [] });
    // The old secret's fingerprint, so the store and the replacement endpoint can tell which key this replaces.
    const { fingerprint: replaces } = await this.github.secretScanningAlert(a.owner, a.repo, a.alert_number);
    const handle = { repository: `${a.owner}/${a.repo}`, alert_number: a.alert_number };
    const replacement = await this.credentials.replacement(
      a.service,
      { service: a.service, secret_type: a.secret_type, handle, replaces, event_id: context.eventId },
      context.idempotencyKey,
    );
    const stored = await this.credentials.store(
      a.service,
      replacement,
      { replaces, rotated_at: new Date().toISOString(), source: `github secret scanning ${handle.repository}#${a.alert_number}` },
      context.idempotencyKey,
    );
    return { service: a.service, fingerprint: secretFingerprint(replacement), replaces, ...stored };
  }
}
