import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { ByteSize } from '../../config/setting-values.js';

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
}
