import { z } from 'zod';
import { githubOwner, githubRepo } from '../../connectors/github/github-names.js';

/**
 * What the credential tools are given instead of a secret: the service, and a handle (the GitHub
 * secret scanning alert: repository + number) from which the tool fetches the secret itself.
 */
export const credentialHandle = {
  service: z.string().regex(/^[a-z0-9_-]{1,50}$/, 'a service name from the secret type map').describe('Service the credential belongs to, e.g. aws.'),
  secret_type: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).describe("GitHub's secret type, e.g. aws_access_key_id."),
  owner: githubOwner.describe('Owner of the repository where the secret leaked.'),
  repo: githubRepo.describe('Repository where the secret leaked.'),
  alert_number: z.number().int().positive().describe('Number of the secret scanning alert.'),
};
