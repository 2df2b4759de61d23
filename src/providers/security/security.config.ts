import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';

export const DEFAULT_SECRET_TYPE_SERVICES =
  'aws_access_key_id=aws,aws_secret_access_key=aws,aws_temporary_access_key_id=aws,stripe_api_key=stripe,stripe_live_secret_key=stripe,stripe_test_secret_key=stripe,stripe_restricted_api_key=stripe,slack_api_token=slack,slack_incoming_webhook_url=slack,github_personal_access_token=github,github_oauth_access_token=github';

/** Settings of the security provider: its webhook secret and how it responds to a leaked secret. */
@SettingsGroup('Security provider', 'Receiving GitHub secret scanning alerts (X-Hub-Signature-256) and responding to a leaked credential: revoke, rotate, ticket, Slack, resolve.')
export class SecurityConfig {
  @Setting({
    secret: true,
    description:
      "The secret of the GitHub webhook that sends secret_scanning_alert events. Comma-separated to accept several during a rotation. Unset: deliveries are answered 503 provider_not_configured.",
  })
  @IsOptional()
  @IsString()
  SECURITY_WEBHOOK_SECRET?: string;

  @Setting({
    description: "Which service a GitHub secret type belongs to, as secret_type=service pairs, comma-separated; a type not listed is service 'unknown' (ticket and Slack alert, nothing revoked).",
  })
  @IsString()
  SECURITY_SECRET_TYPE_SERVICES = DEFAULT_SECRET_TYPE_SERVICES;

  @Setting({
    description: 'Secret types whose revoke_credential and rotate_credential run at once (policy auto, approved as security-policy:auto); every other type waits for an operator\'s approval.',
    example: 'aws_access_key_id,slack_api_token',
  })
  @IsOptional()
  @IsString()
  SECURITY_AUTO_RESPONSE_SECRET_TYPES?: string;

  @Setting({ description: 'Slack channel the leaked-secret alert is posted to.' })
  @IsString()
  SECURITY_SLACK_CHANNEL = '#security';
}
