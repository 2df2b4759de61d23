import { Global, Module } from '@nestjs/common';
import { ToolRegistry } from './tool.registry.js';

/** Tools agents can call, and (with the agent runtime) the ActionService that guards every call. */
@Global()
@Module({
  providers: [ToolRegistry],
  exports: [ToolRegistry],
})
export class ActionsModule {}
