import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';

/** Settings of the secret scanning partner provider: GitHub's public keys, and where the alert goes. */
@SettingsGroup(
  'Secret scanning partner provider',
  "Receiving GitHub's secret scanning partner alerts (tokens of yours found in public code, signed with ECDSA P-256 in Github-Public-Key-Signature): an incident and a Slack alert per match, the token itself never kept.",
)
export class SecretScanningPartnerConfig {
  @Setting({
    description:
      'GitHub\'s secret scanning public keys, as JSON: either the document of https://api.github.com/meta/public_keys/secret_scanning as it is ({"public_keys":[{"key_identifier":"…","key":"-----BEGIN PUBLIC KEY-----\\n…"}]}) or an object of key identifier → PEM. Every key listed is accepted (keep the old one during GitHub\'s key rotation). Unset: deliveries are answered 503 provider_not_configured.',
    example: '{"90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a":"-----BEGIN PUBLIC KEY-----\\nMFkw…\\n-----END PUBLIC KEY-----"}',
  })
  @IsOptional()
  @IsString()
  SECRET_SCANNING_PARTNER_PUBLIC_KEYS?: string;

  @Setting({ description: 'Slack channel a partner alert (a token found in public code) is posted to.' })
  @IsString()
  SECRET_SCANNING_PARTNER_SLACK_CHANNEL = '#security';
}
