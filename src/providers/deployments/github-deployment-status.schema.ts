import { z } from 'zod';
import { deploymentSchema } from './deployment-payload.schema.js';

/**
 * The fields of a live GitHub `deployment_status` event (state success) (docs.github.com, "Webhook events and payloads")
 * that the release watch reads; the rest of GitHub's payload is kept in the ledger as received.
 */
/** Any deployment_status event: its state decides whether the rest is read. */
export const githubDeploymentStateSchema = z.object({ deployment_status: z.object({ state: z.string().min(1).max(100) }) });

export const githubDeploymentStatusSchema = z.object({
  action: z.string().optional(),
  deployment_status: z.object({
    state: z.string().min(1),
    environment_url: z.string().optional().nullable(),
  }),
  deployment: z.object({
    id: z.number().int().positive(),
    sha: deploymentSchema.shape.commit_sha,
    ref: z.string().optional(),
    environment: deploymentSchema.shape.environment,
    /** Whatever the deployment's creator put there (an object or a string); read leniently. */
    payload: z.unknown().optional(),
  }),
  repository: z.object({ name: deploymentSchema.shape.service, full_name: z.string() }),
});
export type GithubDeploymentStatus = z.infer<typeof githubDeploymentStatusSchema>;

/** A deployment as the release watch knows it; previous_version is null when nothing says what to roll back to. */
export type WatchedDeployment = Omit<z.infer<typeof deploymentSchema>, 'previous_version'> & { previous_version: string | null };

const urls = z.array(z.url({ protocol: /^https?$/ })).min(1).max(20);

/**
 * The deployment a `deployment_status` event reports live, as the watch sees it: deployment id
 * `github-<id>`, service = `payload.service` or the repository's name, environment = the
 * deployment's, version = `payload.version` or the commit, previous version = `payload.previous_version`
 * (null: looked up from the last healthy watch), URLs = `payload.urls`, or the status's environment_url.
 * `deployment.payload` is free-form (its creator's): a field of it that is missing or not of the
 * expected shape is not used, never a reason to refuse the delivery.
 */
export function githubDeployment(event: GithubDeploymentStatus): WatchedDeployment {
  const { deployment, deployment_status: status, repository } = event;
  const given = objectOf(typeof deployment.payload === 'string' ? parseJson(deployment.payload) : deployment.payload);
  const environmentUrl = usable(urls, [status.environment_url?.trim()]);
  return {
    deployment_id: `github-${deployment.id}`,
    service: usable(deploymentSchema.shape.service, given.service) ?? repository.name,
    environment: deployment.environment,
    commit_sha: deployment.sha,
    version: usable(deploymentSchema.shape.version, given.version) ?? deployment.sha,
    previous_version: usable(deploymentSchema.shape.previous_version, given.previous_version) ?? null,
    urls: usable(urls, given.urls) ?? environmentUrl ?? [],
  };
}

function usable<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
