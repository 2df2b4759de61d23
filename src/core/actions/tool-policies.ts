import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import type { AgentTool, ToolPolicy } from './agent-tool.js';
import { ToolRegistry } from './tool.registry.js';

/** The policy of each tool: TOOL_POLICIES overrides, otherwise `approval` for destructive tools and `auto` for the rest. */
@Injectable()
export class ToolPolicies implements OnApplicationBootstrap {
  private readonly overrides: ReadonlyMap<string, ToolPolicy>;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(ToolRegistry) private readonly tools: ToolRegistry,
  ) {
    this.overrides = new Map(
      (config.TOOL_POLICIES ?? '')
        .split(',')
        .map((pair) => pair.split('=').map((part) => part.trim()))
        .filter(([name, policy]) => name && policy)
        .map(([name, policy]) => [name, policy as ToolPolicy]),
    );
  }

  /**
   * A misspelt name would leave its tool on its default policy: `send_emial=dry-run` would really send
   * e-mail. Tools register in onModuleInit, so by now every name is known; refusing to start is safer.
   */
  onApplicationBootstrap(): void {
    const unknown = [...this.overrides.keys()].filter((name) => !this.tools.get(name));
    if (unknown.length === 0) return;
    const known = this.tools.all().map((tool) => tool.name).sort().join(', ');
    throw new Error(`TOOL_POLICIES names ${unknown.join(', ')}, which no tool is called (tools: ${known})`);
  }

  /** `requested`: the caller's policy for this call (ActionRequest.defaultPolicy), used when TOOL_POLICIES does not name the tool. */
  policyFor(tool: Pick<AgentTool, 'name' | 'destructive'>, requested?: ToolPolicy): ToolPolicy {
    return this.overrides.get(tool.name) ?? requested ?? (tool.destructive ? 'approval' : 'auto');
  }
}
