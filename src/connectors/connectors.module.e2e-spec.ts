import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppConfigModule } from '../config/config.module.js';
import { loadConfig } from '../config/load-config.js';
import { settingsClasses } from '../settings-classes.js';
import { ActionService } from '../core/actions/action.service.js';
import { ToolPolicies } from '../core/actions/tool-policies.js';
import { ToolRegistry } from '../core/actions/tool.registry.js';
import { ConnectorsModule } from './connectors.module.js';

/**
 * Stands in for ActionsModule (global, owns the ToolRegistry) without the ledger. Slack's approval
 * messages take the ActionService, but call it only with APPROVALS_SLACK_CHANNEL set, which these
 * tests leave unset: an empty value is enough, and any call to it would fail the test.
 */
@Global()
@Module({ imports: [DiscoveryModule], providers: [ToolRegistry, { provide: ActionService, useValue: {} }], exports: [ToolRegistry, ActionService] })
class GlobalToolRegistryModule {}

describe('ConnectorsModule', () => {
  it('registers every connector tool with the ToolRegistry, each dry-run with a reason when unconfigured', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test' }, settingsClasses)), GlobalToolRegistryModule, ConnectorsModule],
    }).compile();
    await moduleRef.init();
    try {
      const tools = moduleRef.get(ToolRegistry).all();
      const summary = Object.fromEntries(tools.map((t) => [t.name, { destructive: t.destructive, unavailable: t.unavailableReason() }]));
      expect(summary).toEqual({
        github_post_issue_comment: { destructive: false, unavailable: 'GITHUB_TOKEN is not set' },
        github_resolve_secret_scanning_alert: { destructive: false, unavailable: 'GITHUB_TOKEN is not set' },
        send_email: { destructive: false, unavailable: 'SMTP_URL is not set' },
        post_slack_message: { destructive: false, unavailable: null },
        update_slack_message: { destructive: false, unavailable: null },
        create_linear_issue: { destructive: false, unavailable: 'LINEAR_API_KEY is not set' },
        create_hubspot_deal: { destructive: false, unavailable: 'HUBSPOT_TOKEN is not set' },
        rollback_deploy: { destructive: true, unavailable: 'ROLLBACK_URL is not set' },
        revoke_key: { destructive: true, unavailable: 'REVOKE_URL is not set' },
        run_smoke_test: { destructive: false, unavailable: 'SMOKE_TEST_URL is not set' },
      });
      for (const tool of tools) {
        // What the agent runner sends the model as the tool's input schema.
        const schema = z.toJSONSchema(tool.input) as { type?: string; additionalProperties?: unknown };
        expect(schema.type, tool.name).toBe('object');
        expect(schema.additionalProperties, tool.name).toBe(false);
        expect(tool.description.length, tool.name).toBeGreaterThan(20);
      }
    } finally {
      await moduleRef.close();
    }
  });

  it('refuses to start when TOOL_POLICIES names no tool, instead of leaving the misspelt tool on its default policy', async () => {
    const boot = async (policies: string) => {
      const moduleRef = await Test.createTestingModule({
        imports: [AppConfigModule.forRoot(loadConfig({ TOOL_POLICIES: policies }, settingsClasses)), GlobalToolRegistryModule, ConnectorsModule],
        providers: [ToolPolicies],
      }).compile();
      try {
        await moduleRef.init();
        return moduleRef.get(ToolPolicies).policyFor({ name: 'send_email', destructive: false });
      } finally {
        await moduleRef.close();
      }
    };
    await expect(boot('send_emial=dry-run,rollback_deploy=auto')).rejects.toThrow(
      /^TOOL_POLICIES names send_emial, which no tool is called \(tools: .*send_email/,
    );
    await expect(boot('send_email=dry-run,rollback_deploy=auto')).resolves.toBe('dry-run');
  });
});
