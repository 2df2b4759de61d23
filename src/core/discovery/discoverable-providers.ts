import type { Type } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';

/**
 * A class decorator that marks a provider for a registry to find at boot (`@WebhookEventHandler()`,
 * `@AgentTool()`...). Typed so that only a class implementing `T` can wear it.
 */
export type ProviderMarker<T> = (() => (target: Type<T>) => void) & { readonly KEY: string };

export function providerMarker<T>(): ProviderMarker<T> {
  return DiscoveryService.createDecorator<never>();
}

const reflector = new Reflector();

/**
 * The instance of every provider marked with `marker` in this application's module graph: a marked
 * class that no imported module provides is not instantiated, so not found. The order is fixed:
 * modules in the order Nest scans them (depth-first along `imports`, from the root module), and
 * within a module the order of its `providers` array.
 */
export function discoverMarkedProviders<T>(discovery: DiscoveryService, marker: ProviderMarker<T>): T[] {
  const instances = new Set<T>();
  for (const wrapper of discovery.getProviders()) {
    const type: unknown = wrapper.instance?.constructor ?? wrapper.metatype;
    if (typeof type !== 'function' || reflector.get(marker.KEY, type) === undefined) continue;
    // A registry keeps one instance for the life of the process; a request-scoped or transient one has none.
    if (wrapper.isTransient || !wrapper.isDependencyTreeStatic()) {
      throw new Error(`${type.name} is marked for discovery but is not a singleton provider: drop its scope`);
    }
    instances.add(wrapper.instance as T);
  }
  return [...instances];
}
