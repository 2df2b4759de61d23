'use strict';
// <name>.config.ts: the provider's settings class; its webhook secret is a list, like every provider's.

module.exports = function config(model) {
  const standard = model.signature.scheme === 'standard-webhooks';
  const what = standard ? 'Standard Webhooks secret(s) (whsec_…)' : "The webhook's secret";
  const receiving = standard ? `${model.title} webhooks (Standard Webhooks)` : `${model.title} webhooks (${model.signature.header.display})`;
  return `import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';

/** Settings of the ${model.title} provider: its webhook secret. A setting its handler needs goes here too, documented (then \`npm run config:docs\`). */
@SettingsGroup('${model.title} provider', 'Receiving ${receiving}.')
export class ${model.pascal}Config {
  @Setting({
    secret: true,
    description:
      "${what}. Comma-separated to accept several during a rotation: new-secret,old-secret. Unset: ${model.title} deliveries are answered 503 provider_not_configured.",
  })
  @IsOptional()
  @IsString()
  ${model.secretVariable}?: string;
}
`;
};
