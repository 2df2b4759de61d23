/** `github` → `Github`, `ci-deployments` → `CiDeployments`: class names made for a provider (Nest's logs and OpenAPI name them). */
export function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
