import { IsOptional, IsString, Matches } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

const SERVICE_URLS = /^\s*[a-z0-9_-]+\s*=\s*https?:\/\/[^\s,]+\s*(,\s*[a-z0-9_-]+\s*=\s*https?:\/\/[^\s,]+\s*)*$/;

/** Settings of the credentials connector (revoke_credential, rotate_credential and the secrets store). */
@SettingsGroup(
  'Credentials connector',
  'Your endpoints that revoke a leaked credential and issue its replacement, per service, and the secrets store (a Vault-compatible KV v2 API) the replacement is written to.',
)
export class CredentialsConnectorConfig {
  @Setting({
    description: 'Per service, the endpoint revoke_credential POSTs {service, secret_type, secret, handle, fingerprint} to. A service without one: revoke_credential runs as a dry run.',
    example: 'aws=https://keys.example.com/aws/revoke,stripe=https://keys.example.com/stripe/revoke',
  })
  @IsOptional()
  @Matches(SERVICE_URLS, { message: 'CREDENTIALS_REVOKE_URLS must be service=https://url pairs, comma-separated' })
  CREDENTIALS_REVOKE_URLS?: string;

  @Setting({
    description: 'Per service, the endpoint rotate_credential POSTs {service, secret_type, handle, fingerprint} to; it answers {secret} with the replacement.',
    example: 'aws=https://keys.example.com/aws/replace,stripe=https://keys.example.com/stripe/replace',
  })
  @IsOptional()
  @Matches(SERVICE_URLS, { message: 'CREDENTIALS_ROTATE_URLS must be service=https://url pairs, comma-separated' })
  CREDENTIALS_ROTATE_URLS?: string;

  @Setting({ secret: true, description: 'Bearer token sent to the revoke and rotate endpoints, when they need one.' })
  @IsOptional()
  @IsString()
  CREDENTIALS_HTTP_TOKEN?: string;

  @Setting({ description: 'Base URL of the secrets store (Vault-compatible KV v2 API); rotate_credential writes the replacement there. Unset: rotate_credential runs as a dry run.', example: 'https://vault.example.com' })
  @IsOptional()
  @IsHttpUrl()
  SECRETS_STORE_URL?: string;

  @Setting({ secret: true, description: 'Token for the secrets store (sent as X-Vault-Token).' })
  @IsOptional()
  @IsString()
  SECRETS_STORE_TOKEN?: string;

  @Setting({ description: 'KV v2 mount of the secrets store.' })
  @IsString()
  SECRETS_STORE_MOUNT = 'secret';

  @Setting({ description: 'Path under the mount where a rotated credential is written: <prefix>/<service>.' })
  @IsString()
  SECRETS_STORE_PATH_PREFIX = 'hookwise/credentials';
}
