import { z } from 'zod';
import { deploymentSchema } from './deployment-payload.schema.js';

/**
 * The fields of GitHub's `deployment_status` event (docs.github.com, "Webhook events and payloads")
 * that the release watch reads; the rest of GitHub's payload is kept in the ledger as received.
 */
export const githubDeploymentStatusSchema = z.object({
  action: z.string().optional(),
  deployment_status: z.object({
    state: z.string().min(1),
    environment_url: z.string().optional().nullable(),
  }),
  deployment: z.object({
    id: z.number().int(),
    sha: z.string(),
    ref: z.string().optional(),
    environment: z.string(),
    /** Whatever the deployment's creator put there (an object or a string); read leniently. */
    payload: z.unknown().optional(),
  }),
  repository: z.object({ name: z.string(), full_name: z.string() }),
});
export type GithubDeploymentStatus = z.infer<typeof githubDeploymentStatusSchema>;

/** A deployment as the release watch knows it; previous_version is null when nothing says what to roll back to. */
export type WatchedDeployment = Omit<z.infer<typeof deploymentSchema>, 'previous_version'> & { previous_version: string | null };

// deployment.payload's optional fields, for deployers that say more than GitHub does.
const creatorFields = z.object({
  service: z.unknown().optional(),
  version: z.unknown().optional(),
  previous_version: z.unknown().optional(),
  urls: z.unknown().optional(),
});
const watchedFields = deploymentSchema.extend({ previous_version: deploymentSchema.shape.previous_version.nullable(), urls: z.array(z.url({ protocol: /^https?$/ })).max(20) });

/**
 * The deployment a `deployment_status` event reports live, as the watch sees it: deployment id
 * `github-<id>`, service = `payload.service` or the repository's name, environment = the
 * deployment's, version = `payload.version` or the commit, previous version = `payload.previous_version`
 * (null: looked up from the last healthy watch), URLs = `payload.urls`, or the status's environment_url.
 * Throws a ZodError naming the field when one is not usable.
 */
export function githubDeployment(event: GithubDeploymentStatus): WatchedDeployment {
  const { deployment, deployment_status: status, repository } = event;
  const extra = creatorFields.safeParse(typeof deployment.payload === 'string' ? parseJson(deployment.payload) : deployment.payload);
  const given = extra.success ? extra.data : {};
  const environmentUrl = status.environment_url?.trim();
  return watchedFields.parse({
    deployment_id: `github-${deployment.id}`,
    service: given.service ?? repository.name,
    environment: deployment.environment,
    commit_sha: deployment.sha,
    version: given.version ?? deployment.sha,
    previous_version: given.previous_version ?? null,
    urls: given.urls ?? (environmentUrl ? [environmentUrl] : []),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
