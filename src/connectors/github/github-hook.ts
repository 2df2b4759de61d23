/**
 * A webhook whose deliveries GitHub keeps a record of: a repository's hook, an organisation's hook,
 * or the GitHub App's own hook (`GET /app/hook/deliveries`, with the app's credentials).
 */
export type GithubHook = { kind: 'repository'; owner: string; repo: string; hookId: number } | { kind: 'organization'; org: string; hookId: number } | { kind: 'app' };

/** `owner/repo#123`, `org:acme#456`, `app`: how a hook is written in settings and shown to operators. */
export function githubHookName(hook: GithubHook): string {
  if (hook.kind === 'repository') return `${hook.owner}/${hook.repo}#${hook.hookId}`;
  if (hook.kind === 'organization') return `org:${hook.org}#${hook.hookId}`;
  return 'app';
}

const REPOSITORY_HOOK = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)#(\d+)$/;
const ORGANIZATION_HOOK = /^org:([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)#(\d+)$/;

/**
 * Parses GITHUB_RECONCILE_HOOKS: comma-separated `owner/repo#hookId` or `org:name#hookId`. Throws
 * an error naming each entry it cannot read.
 */
export function parseGithubHooks(value: string | undefined): GithubHook[] {
  if (!value?.trim()) return [];
  const hooks: GithubHook[] = [];
  const wrong: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    const repository = REPOSITORY_HOOK.exec(entry);
    const organization = ORGANIZATION_HOOK.exec(entry);
    if (repository) hooks.push({ kind: 'repository', owner: repository[1], repo: repository[2], hookId: Number(repository[3]) });
    else if (organization) hooks.push({ kind: 'organization', org: organization[1], hookId: Number(organization[2]) });
    else wrong.push(`"${entry}"`);
  }
  if (wrong.length) throw new Error(`${wrong.join(', ')}: each hook is owner/repo#hookId or org:name#hookId (the hook id is a number)`);
  return hooks;
}
