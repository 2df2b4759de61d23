import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import type { AgentTool, ToolPolicy } from './agent-tool.js';

/** The policy of each tool: TOOL_POLICIES overrides, otherwise `approval` for destructive tools and `auto` for the rest. */
@Injectable()
export class ToolPolicies {
  private readonly overrides: ReadonlyMap<string, ToolPolicy>;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.overrides = new Map(
      (config.TOOL_POLICIES ?? '')
        .split(',')
        .map((pair) => pair.split('=').map((part) => part.trim()))
        .filter(([name, policy]) => name && policy)
        .map(([name, policy]) => [name, policy as ToolPolicy]),
    );
  }

  policyFor(tool: Pick<AgentTool, 'name' | 'destructive'>): ToolPolicy {
    return this.overrides.get(tool.name) ?? (tool.destructive ? 'approval' : 'auto');
  }
}
