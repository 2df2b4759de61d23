import { Transform } from 'class-transformer';
import { IsInt, IsJSON, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl, toInt } from '../../config/setting-values.js';

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value);

/** Settings of the deployments provider: its webhook secret and its release watch. */
@SettingsGroup(
  'Deployments provider',
  'Receiving CI/CD deployment events (Standard Webhooks, or GitHub deployment_status events in GitHub mode) and watching each release: smoke checks, an error-rate window, a rollback when either fails.',
)
export class DeploymentsConfig {
  @Setting({
    secret: true,
    description:
      'Standard Webhooks secret(s) (whsec_…). Comma-separated to accept several during a rotation. Unset: Standard Webhooks deliveries are refused (503 provider_not_configured when GitHub mode is off too, else 401).',
  })
  @IsOptional()
  @IsString()
  DEPLOYMENTS_WEBHOOK_SECRET?: string;

  @Setting({
    secret: true,
    description:
      'GitHub mode: the secret(s) of a GitHub webhook (deployment_status events) pointed at /webhooks/deployments, checked against X-Hub-Signature-256. Comma-separated to accept several during a rotation. Unset: GitHub mode is off and deliveries with GitHub headers are answered 401.',
  })
  @IsOptional()
  @IsString()
  DEPLOYMENTS_GITHUB_WEBHOOK_SECRET?: string;

  @Setting({
    description:
      'Smoke checks as JSON, by "service/environment" (or "service", or "*"): [{"path":"/healthz","status":200,"body":"ok","timeoutMs":2000}]; each check is run against every URL of the deployment. "body" is a substring the answer must contain.',
    example: '{"*":[{"path":"/healthz","status":200}]}',
  })
  @IsOptional()
  @IsJSON()
  DEPLOY_SMOKE_CHECKS?: string;

  @Setting({ description: 'Base URL of the Prometheus-compatible query API (GET <url>/api/v1/query). Unset: no error-rate watch, smoke checks only.' })
  @IsOptional()
  @IsHttpUrl()
  DEPLOY_PROMETHEUS_URL?: string;

  @Setting({
    description:
      'Error-rate PromQL queries as JSON, by service (or "*"); $service and $environment are replaced by the deployment\'s. The query must return one number (a ratio, 0.05 = 5%).',
    example: '{"*":"sum(rate(http_requests_total{service=\\"$service\\",code=~\\"5..\\"}[1m])) / sum(rate(http_requests_total{service=\\"$service\\"}[1m]))"}',
  })
  @IsOptional()
  @IsJSON()
  DEPLOY_ERROR_RATE_QUERIES?: string;

  @Setting({ description: 'Error rate (a ratio) above which a deployment is rolled back.' })
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  DEPLOY_ERROR_RATE_THRESHOLD = 0.05;

  @Setting({ description: 'How long the error rate is watched after a deployment, in ms.' })
  @Transform(toInt)
  @IsInt()
  @Min(100)
  DEPLOY_WATCH_WINDOW_MS = 90_000;

  @Setting({ description: 'Interval between two error-rate samples, in ms (delayed queue jobs).' })
  @Transform(toInt)
  @IsInt()
  @Min(50)
  DEPLOY_WATCH_INTERVAL_MS = 15_000;

  @Setting({ description: 'Deadline of all the smoke checks of one deployment together, in ms (each check has its own timeoutMs too).' })
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DEPLOY_SMOKE_DEADLINE_MS = 20_000;

  @Setting({
    description:
      'Environments whose rollbacks run at once (policy auto), comma-separated, e.g. staging. Elsewhere a rollback waits for an operator (approval). TOOL_POLICIES naming rollback_deploy wins over both.',
  })
  @IsOptional()
  @IsString()
  DEPLOY_AUTO_ROLLBACK_ENVIRONMENTS?: string;

  @Setting({ description: 'Slack channel the release watch reports to (post_slack_message).' })
  @IsString()
  DEPLOY_SLACK_CHANNEL = '#deploys';
}
