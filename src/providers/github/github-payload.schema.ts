import { z } from 'zod';

// Only the fields agents rely on are declared; everything else in GitHub's payload is stored as
// received and not looked at here. Optional fields accept null as well as absence.

const account = z.object({ login: z.string().min(1) });

const repository = z.object({
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must look like owner/name'),
});

/** Fields every GitHub event may carry. */
const eventFields = {
  action: z.string().nullish(),
  sender: account.nullish(),
  organization: account.nullish(),
};

/** Any GitHub event: the repository is there for repository events, absent for organisation ones. */
export const githubPayloadSchema = z.object({ ...eventFields, repository: repository.nullish() });

/** pull_request events: the PR and its repository are required. */
export const githubPullRequestPayloadSchema = z.object({
  ...eventFields,
  repository,
  pull_request: z.object({
    number: z.int().min(1),
    head: z.object({ sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a commit sha') }),
  }),
});

export type GithubPayload = z.infer<typeof githubPayloadSchema>;
