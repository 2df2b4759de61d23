import { z } from 'zod';

const name = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9._:@-]+$/, 'letters, digits and . _ : @ - only');

/** The deployment a `deployment.created` event announces. */
export const deploymentSchema = z.object({
  deployment_id: name.describe('Unique id of this deployment (the CI/CD system\'s).'),
  service: name.describe('The service deployed, e.g. "web".'),
  environment: name.describe('Where it was deployed, e.g. "production" or "staging".'),
  commit_sha: z.string().regex(/^[0-9a-f]{7,64}$/i).describe('The commit deployed.'),
  version: z.string().trim().min(1).max(200).describe('The version now running.'),
  previous_version: z.string().trim().min(1).max(200).describe('The version to roll back to.'),
  urls: z.array(z.url({ protocol: /^https?$/ })).min(1).max(20).describe('Base URLs of the deployed service; every smoke check runs against each.'),
});
export type Deployment = z.infer<typeof deploymentSchema>;

/** A delivery to POST /webhooks/deployments (Standard Webhooks envelope: type, timestamp, data). */
export const deploymentEventSchema = z.object({
  type: z.literal('deployment.created'),
  timestamp: z.iso.datetime({ offset: true }).optional().describe('When the deployment finished (ISO 8601).'),
  data: deploymentSchema,
});
export type DeploymentEvent = z.infer<typeof deploymentEventSchema>;

/** Every delivery: its type, so that other types can be recorded (and ignored) rather than refused. */
export const anyEventSchema = z.object({ type: z.string().min(1).max(200) });
