import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { ToolPolicies } from './tool-policies.js';
import { ToolRegistry } from './tool.registry.js';

/** No tools: policyFor only reads TOOL_POLICIES and the tool it is given. */
const noTools = () => new ToolRegistry(new DiscoveryService(new ModulesContainer()));

describe('ToolPolicies', () => {
  it('defaults destructive tools to approval and others to auto', () => {
    const policies = new ToolPolicies(loadConfig({}), noTools());
    expect(policies.policyFor({ name: 'rollback_deploy', destructive: true })).toBe('approval');
    expect(policies.policyFor({ name: 'send_email', destructive: false })).toBe('auto');
  });

  it('lets TOOL_POLICIES override either way', () => {
    const policies = new ToolPolicies(loadConfig({ TOOL_POLICIES: 'rollback_deploy=auto, send_email = dry-run,post_slack_message=approval' }), noTools());
    expect(policies.policyFor({ name: 'rollback_deploy', destructive: true })).toBe('auto');
    expect(policies.policyFor({ name: 'send_email', destructive: false })).toBe('dry-run');
    expect(policies.policyFor({ name: 'post_slack_message', destructive: false })).toBe('approval');
    expect(policies.policyFor({ name: 'revoke_key', destructive: true })).toBe('approval');
  });

  it('a caller\'s policy for one call (ActionRequest.defaultPolicy) replaces the default, and TOOL_POLICIES still wins over it', () => {
    const plain = new ToolPolicies(loadConfig({}), noTools());
    expect(plain.policyFor({ name: 'rollback_deploy', destructive: true }, 'auto')).toBe('auto');
    expect(plain.policyFor({ name: 'send_email', destructive: false }, 'approval')).toBe('approval');
    const pinned = new ToolPolicies(loadConfig({ TOOL_POLICIES: 'rollback_deploy=dry-run' }), noTools());
    expect(pinned.policyFor({ name: 'rollback_deploy', destructive: true }, 'auto')).toBe('dry-run');
  });
});
