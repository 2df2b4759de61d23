import { createSign } from 'node:crypto';

/**
 * The JSON Web Token a GitHub App authenticates as itself with (RS256, signed with its private key):
 * issued a minute in the past against clock drift, valid 9 minutes (GitHub allows 10).
 */
export function githubAppJwt(appId: string, privateKeyPem: string, now = Date.now()): string {
  const seconds = Math.floor(now / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: seconds - 60, exp: seconds + 540, iss: appId })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKeyPem).toString('base64url');
  return `${unsigned}.${signature}`;
}
