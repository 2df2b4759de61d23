import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, useAdminTestApp } from '../support/admin-client.js';

/** Admin routes take JSON bodies; anything else is the caller's 4xx, never a 500 of ours. */
describe('admin request bodies', () => {
  const t = useAdminTestApp();

  function postReplay(body: string, contentType?: string) {
    const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_KEY}` };
    if (contentType) headers['content-type'] = contentType;
    return fetch(`${t.url}/admin/events/replay`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
  }

  it('415 unsupported_content_type for a body that is not JSON', async () => {
    expect(await postReplay('status=DEAD', 'application/x-www-form-urlencoded')).toEqual({
      status: 415,
      body: { error: 'unsupported_content_type', message: 'Content-Type application/x-www-form-urlencoded is not accepted: send application/json' },
    });
    expect(await postReplay('{"status":"DEAD"}', 'text/plain')).toMatchObject({ status: 415, body: { error: 'unsupported_content_type' } });
  });

  it('400 invalid_json for a JSON body that does not parse', async () => {
    const auditedBefore = await t.prisma.adminAuditEntry.count();
    expect(await postReplay('{"status": DEAD', 'application/json')).toEqual({
      status: 400,
      body: { error: 'invalid_json', message: 'the request body is not valid JSON' },
    });
    expect(await t.prisma.adminAuditEntry.count()).toBe(auditedBefore); // refused before the handler: nothing audited
  });
});
