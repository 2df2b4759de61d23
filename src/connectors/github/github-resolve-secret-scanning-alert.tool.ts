import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs } from '../../core/index.js';
import { githubOwner, githubRepo } from './github-names.js';
import { GithubConnector, type ResolvedSecretScanningAlert } from './github.connector.js';

const input = z.strictObject({
  owner: githubOwner.describe('Repository owner (user or organisation login).'),
  repo: githubRepo.describe('Repository name.'),
  alert_number: z.number().int().positive().describe('Number of the secret scanning alert.'),
  comment: z.string().max(270).optional().describe('Resolution comment shown on the alert.'),
});

/** `github_resolve_secret_scanning_alert`: marks a secret scanning alert resolved, as revoked. */
@Injectable()
@AgentTool()
export class GithubResolveSecretScanningAlertTool implements AgentTool<typeof input> {
  static readonly NAME = 'github_resolve_secret_scanning_alert';
  readonly name = GithubResolveSecretScanningAlertTool.NAME;
  readonly description = 'Resolve a GitHub secret scanning alert as revoked, once the secret has been revoked.';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(GithubConnector) private readonly github: GithubConnector) {}

  unavailableReason(): string | null {
    return this.github.unavailableReason();
  }

  async execute(args: z.infer<typeof input>): Promise<ResolvedSecretScanningAlert> {
    const a = parseToolArgs(this.name, input, args);
    return this.github.resolveSecretScanningAlert(a.owner, a.repo, a.alert_number, a.comment ?? 'Revoked and rotated by Hookwise.');
  }
}
