import { z } from 'zod';

// GitHub's rules for logins and repository names (`..` would move a call out of /repos/).
const OWNER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * What the credential tools are given instead of a secret: the service, and a handle (the GitHub
 * secret scanning alert: repository + number) from which the tool fetches the secret itself.
 */
export const credentialHandle = {
  service: z.string().regex(/^[a-z0-9_-]{1,50}$/, 'a service name from the secret type map').describe('Service the credential belongs to, e.g. aws.'),
  secret_type: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).describe("GitHub's secret type, e.g. aws_access_key_id."),
  owner: z.string().regex(OWNER, 'a GitHub login').describe('Owner of the repository where the secret leaked.'),
  repo: z
    .string()
    .regex(REPO, 'a GitHub repository name')
    .refine((name) => name !== '.' && name !== '..', 'not . or ..')
    .describe('Repository where the secret leaked.'),
  alert_number: z.number().int().positive().describe('Number of the secret scanning alert.'),
};
