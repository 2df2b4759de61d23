import type { DynamicModule } from '@nestjs/common';
import { GithubModule } from './github/github.module.js';
import type { ProviderModuleOptions } from './provider-module-options.js';

/** Every provider Hookwise receives. A new provider adds its module here. */
export function providerModules(options: ProviderModuleOptions): DynamicModule[] {
  return [GithubModule.register(options)];
}
