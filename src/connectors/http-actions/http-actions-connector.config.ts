import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

/** Settings of the HTTP actions connector (ActionHttpConnector and its three tools). */
@SettingsGroup('HTTP actions connector', "Your own endpoints behind rollback_deploy, revoke_key and run_smoke_test; each tool runs as a dry run while its URL is unset.")
export class HttpActionsConnectorConfig {
  @Setting({ description: 'Endpoint rollback_deploy POSTs {deployment, reason, to_version, event_id} to (to_version when the caller knows it).', example: 'https://deploy.example.com/rollback' })
  @IsOptional()
  @IsHttpUrl()
  ROLLBACK_URL?: string;

  @Setting({ description: 'Endpoint revoke_key POSTs {key_id, reason, event_id} to.', example: 'https://keys.example.com/revoke' })
  @IsOptional()
  @IsHttpUrl()
  REVOKE_URL?: string;

  @Setting({ description: 'Endpoint run_smoke_test GETs (the deployment as a query parameter).', example: 'https://app.example.com/healthz' })
  @IsOptional()
  @IsHttpUrl()
  SMOKE_TEST_URL?: string;

  @Setting({ secret: true, description: 'Bearer token sent to ROLLBACK_URL, REVOKE_URL and SMOKE_TEST_URL, when they need one.' })
  @IsOptional()
  @IsString()
  ACTION_HTTP_TOKEN?: string;
}
