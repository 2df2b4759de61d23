/** Which halves of a provider a process runs: `api` receives, `worker` processes, `all` both. */
export interface ProviderModuleOptions {
  receive: boolean;
  process: boolean;
}
