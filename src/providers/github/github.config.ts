import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { ByteSize } from '../../config/setting-values.js';

const GITHUB_HOOK = String.raw`\s*(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9._-]+|org:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)#\d+\s*`;
/** One or more hooks, comma-separated (the same grammar parseGithubHooks reads). */
const GITHUB_HOOK_LIST = new RegExp(`^${GITHUB_HOOK}(?:,${GITHUB_HOOK})*$`);

/** Settings of the GitHub provider: its webhook secret (GithubWebhookProvider) and its pull request review (GithubPrReviewHandler). */
@SettingsGroup('GitHub provider', 'Receiving GitHub repository and organisation webhooks (X-Hub-Signature-256) and reviewing pull requests.')
export class GithubConfig {
  @Setting({
    secret: true,
    description:
      "The webhook's secret. Comma-separated to accept several during a rotation: new-secret,old-secret. Unset: GitHub deliveries are answered 503 provider_not_configured.",
  })
  @IsOptional()
  @IsString()
  GITHUB_WEBHOOK_SECRET?: string;

  @Setting({ description: 'Largest pull request diff sent to the model; a longer diff is cut and the review says how much it saw.' })
  @ByteSize()
  @IsInt()
  @Min(1024)
  PR_REVIEW_MAX_DIFF_BYTES = 100_000;

  @Setting({
    description:
      "Hooks whose deliveries reconciliation checks (every RECONCILE_INTERVAL): comma-separated owner/repo#hookId (a repository's hook) or org:name#hookId (an organisation's). A delivery that failed or that the ledger does not have is redelivered by GitHub. GITHUB_TOKEN must be able to read the hooks (admin:repo_hook / admin:org_hook). The GitHub App's own hook is checked too when GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY are set. Unset (and no app): GitHub is not reconciled.",
    example: 'acme/api#123456789,org:acme#987654321',
  })
  @IsOptional()
  @Matches(GITHUB_HOOK_LIST, {
    message: 'GITHUB_RECONCILE_HOOKS must be comma-separated owner/repo#hookId or org:name#hookId entries, the hook id a number (e.g. acme/api#123456789,org:acme#987654321)',
  })
  GITHUB_RECONCILE_HOOKS?: string;
}

