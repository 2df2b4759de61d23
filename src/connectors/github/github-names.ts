import { z } from 'zod';

/**
 * GitHub's own rules for logins and repository names, for tool arguments that name a repository.
 * The model writes these (and a delivery it reads may try to steer it): Octokit escapes `/` in them
 * but not `..`, which would move the call, with the token, out of /repos/ (on GitHub Enterprise, out
 * of the API base path).
 */
// Logins: letters, digits and -, and _ in Enterprise Managed Users' `login_shortcode`.
export const githubOwner = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'a GitHub login: letters, digits, - and _');

export const githubRepo = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, 'a GitHub repository name: letters, digits, ., - and _')
  .refine((name) => name !== '.' && name !== '..', 'not . or ..');
