import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';
import { CredentialsConnectorConfig } from './credentials-connector.config.js';
import { CredentialsConnector } from './credentials.connector.js';
import { FakeCredentialsApi } from './testing/fake-credentials-api.js';

const SECRET = 'AKIACONNECTORTESTLEAK1';

describe('credentials connector (revoke / replacement endpoints per service, Vault KV v2 store)', () => {
  let fake: FakeCredentialsApi;
  let connector: CredentialsConnector;

  beforeAll(async () => {
    fake = await FakeCredentialsApi.start();
    connector = connectorFromEnv(CredentialsConnector, CredentialsConnectorConfig, {
      CREDENTIALS_REVOKE_URLS: `aws=${fake.url}/revoke/aws`,
      CREDENTIALS_ROTATE_URLS: `aws=${fake.url}/replace/aws`,
      CREDENTIALS_HTTP_TOKEN: 'credentials-bearer-token',
      SECRETS_STORE_URL: fake.url,
      SECRETS_STORE_TOKEN: 'hvs.connectortest',
    });
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake.reset());

  it('revokes through the service endpoint with the bearer token and the idempotency key, returning only the status', async () => {
    const result = await connector.revoke('aws', { secret: SECRET, service: 'aws' }, 'key-1');
    expect(result).toEqual({ status: 200 });
    expect(fake.of('revoke')).toHaveLength(1);
    expect(fake.of('revoke')[0].body.secret).toBe(SECRET);
    expect(fake.of('revoke')[0].headers).toMatchObject({ authorization: 'Bearer credentials-bearer-token', 'idempotency-key': 'key-1' });
  });

  it('gets a replacement and writes it to the KV store, with versions', async () => {
    fake.replacementValue = 'AKIAREPLACEMENTCONNECTOR';
    const value = await connector.replacement('aws', { service: 'aws' }, 'key-2');
    expect(value).toBe('AKIAREPLACEMENTCONNECTOR');
    expect(await connector.store('aws', value, { replaces: 'sha256:abc' }, 'key-2')).toEqual({ path: 'secret/hookwise/credentials/aws', version: 1 });
    expect(await connector.store('aws', 'second', {}, 'key-3')).toMatchObject({ version: 2 });
    expect(fake.store.get('secret/hookwise/credentials/aws')).toEqual(['AKIAREPLACEMENTCONNECTOR', 'second']);
    expect(fake.of('store')[0].headers['x-vault-token']).toBe('hvs.connectortest');
  });

  it('scrubs the secret from an error whose answer echoes it; 4xx is permanent', async () => {
    fake.revokeStatus = 400;
    const err = await connector.revoke('aws', { secret: SECRET }, 'key-4').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('HTTP 400');
    expect((err as Error).message).toContain('invalid key');
    expect((err as Error).message).not.toContain(SECRET);
  });

  it('names what is missing per service', () => {
    expect(connector.revokeUnavailable('aws')).toBeNull();
    expect(connector.revokeUnavailable('stripe')).toBe('CREDENTIALS_REVOKE_URLS names no endpoint for stripe');
    expect(connector.rotateUnavailable('stripe')).toBe('CREDENTIALS_ROTATE_URLS names no endpoint for stripe');
    const bare = connectorFromEnv(CredentialsConnector, CredentialsConnectorConfig, {});
    expect(bare.anyRevoke()).toBe('CREDENTIALS_REVOKE_URLS is not set');
    expect(bare.anyRotate()).toBe('CREDENTIALS_ROTATE_URLS is not set');
  });
});
