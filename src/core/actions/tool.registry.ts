import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { discoverMarkedProviders } from '../discovery/discoverable-providers.js';
import { AgentTool } from './agent-tool.js';

/** Every tool known to this process, by name: each `@AgentTool()` provider of the module graph, found at boot. */
@Injectable()
export class ToolRegistry implements OnModuleInit {
  private readonly tools = new Map<string, AgentTool>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const tool of discoverMarkedProviders(this.discovery, AgentTool)) this.register(tool);
  }

  register(tool: AgentTool): void {
    if (this.tools.has(tool.name)) throw new Error(`a tool named ${tool.name} is already registered`);
    this.tools.set(tool.name, tool);
  }

  get(name: string): AgentTool | undefined {
    return this.tools.get(name);
  }

  all(): AgentTool[] {
    return [...this.tools.values()];
  }
}
